// One account in 设置 → 用户, as an administrator works it: roles ticked and saved,
// disable or enable, reset the password. Taking the administrator role from
// oneself is confirmed first; the engine keeps at least one active administrator.
import { useState } from 'react';
import { Button, Checkbox, Stack, TableCell, TableRow, Tooltip } from '@mui/material';
import type { UserInfo } from '../../../../shared/auth-types';
import { ROLES, type Role } from '../../../../shared/roles';
import { api } from '../../api/client';
import { showCallError } from '../../api/call-errors';
import { RoleChips } from '../../components/RoleChips';
import { useI18n } from '../../i18n/i18n';

export function UserRow({ u, me, isAdmin, onChanged }: { u: UserInfo; me: string; isAdmin: boolean; onChanged(message: string): void }) {
  const { t, marks } = useI18n();
  const [roles, setRoles] = useState<Role[]>(u.roles);
  const dirty = roles.slice().sort().join() !== u.roles.slice().sort().join();
  const save = () => {
    if (u.name === me && u.roles.includes('admin') && !roles.includes('admin') && !window.confirm(t('confirmDropOwnAdmin'))) return;
    api.call('users/update', { name: u.name, roles }).then(() => onChanged(`${t('rolesSaved')}${marks.colon}${u.name}`), showCallError);
  };
  return (
    <TableRow data-testid={`user-row-${u.name}`} sx={u.disabled ? { opacity: 0.55 } : undefined}>
      <TableCell>{u.name}</TableCell>
      <TableCell>{u.displayName}</TableCell>
      <TableCell>
        {isAdmin ? (
          <Stack direction="row" sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
            {ROLES.map((r) => (
              <Stack key={r} direction="row" sx={{ alignItems: 'center' }}>
                <Checkbox size="small" checked={roles.includes(r)} data-testid={`role-${u.name}-${r}`} onChange={(e) => setRoles((rs) => (e.target.checked ? [...rs, r] : rs.filter((x) => x !== r)))} />
                <RoleChips roles={[r]} light={false} />
              </Stack>
            ))}
            <Button size="small" variant="contained" disabled={!dirty || roles.length === 0} data-testid={`save-roles-${u.name}`} onClick={save}>{t('save')}</Button>
          </Stack>
        ) : (
          <RoleChips roles={u.roles} light={false} />
        )}
      </TableCell>
      <TableCell>
        {u.disabled ? t('disabled') : ''}
        {isAdmin && (
          <Stack direction="row" spacing={1}>
            <Tooltip title={u.name === me ? t('cannotDisableSelf') : ''}>
              <span>
                <Button size="small" color={u.disabled ? 'primary' : 'warning'} disabled={u.name === me} data-testid={`toggle-${u.name}`}
                  onClick={() => api.call('users/update', { name: u.name, disabled: !u.disabled }).then(() => onChanged(`${u.disabled ? t('enabled') : t('disabled')}${marks.colon}${u.name}`), showCallError)}>
                  {u.disabled ? t('enable') : t('disable')}
                </Button>
              </span>
            </Tooltip>
            <Button size="small" data-testid={`reset-${u.name}`} onClick={() => {
              const password = window.prompt(`${t('newPasswordFor')} ${u.name}`);
              if (password) api.call('users/password', { name: u.name, password }).then(() => onChanged(`${t('passwordReset')}${marks.colon}${u.name}`), showCallError);
            }}>
              {t('resetPassword')}
            </Button>
          </Stack>
        )}
      </TableCell>
    </TableRow>
  );
}
