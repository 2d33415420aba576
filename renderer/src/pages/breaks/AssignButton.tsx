// 分配: the selected breaks (or the focused one) to an officer, or back to nobody.
// The officers are the workstation's enabled accounts holding 对账员; the engine
// refuses anyone else too.
import { useState } from 'react';
import { Button, Divider, Menu, MenuItem } from '@mui/material';
import type { UserInfo } from '../../../../shared/auth-types';
import { api } from '../../api/client';
import { showCallError } from '../../api/call-errors';
import { useI18n } from '../../i18n/i18n';

export function AssignButton({ targets, assign }: { targets(): number[]; assign(ids: number[], to: string | null): Promise<void> }) {
  const { t, paren } = useI18n();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [officers, setOfficers] = useState<UserInfo[]>([]);
  const [ids, setIds] = useState<number[]>([]);
  const open = (el: HTMLElement) => {
    const chosen = targets();
    if (!chosen.length) return;
    setIds(chosen);
    setAnchor(el);
    api.call('users/list', {}).then((users) => setOfficers(users.filter((u) => !u.disabled && u.effectiveRoles.includes('officer'))), showCallError);
  };
  const choose = (to: string | null) => {
    setAnchor(null);
    void assign(ids, to);
  };
  return (
    <>
      <Button size="small" data-testid="bulk-assign" onClick={(e) => open(e.currentTarget)}>{t('assign')}</Button>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)} data-testid="assign-menu">
        {officers.map((u) => (
          <MenuItem key={u.name} data-testid={`assign-to-${u.name}`} onClick={() => choose(u.name)}>
            {u.displayName === u.name ? u.name : `${u.displayName}${paren(u.name)}`}
          </MenuItem>
        ))}
        <Divider />
        <MenuItem data-testid="assign-to-none" onClick={() => choose(null)}>{t('unassign')}</MenuItem>
      </Menu>
    </>
  );
}
