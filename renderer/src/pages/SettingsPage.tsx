// 设置: the workstation's facts, its users and roles (administrators change them),
// and a backup of the database.
import { PolicyEditor } from './settings/PolicyEditor';
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Checkbox, FormControlLabel, MenuItem, Paper, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import type { PolicyInfo } from '../../../shared/policy-types';
import type { WorkstationInfo } from '../../../shared/domain';
import type { UserInfo } from '../../../shared/auth-types';
import { ROLES, type Role } from '../../../shared/roles';
import { hostLabel } from '../../../shared/audit-labels';
import { api, fileForEngine } from '../api/client';
import { showCallError } from '../api/call-errors';
import { useMe } from '../auth/AuthGate';
import { RoleChips } from '../components/RoleChips';
import { FileButton } from '../components/FileButton';
import { useI18n } from '../i18n/i18n';
import { SignersPanel } from './settings/SignersPanel';
import { UserRow } from './settings/UserRow';

function AddUser({ onDone, firstOther }: { onDone(): void; firstOther: boolean }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Role[]>(['officer']);
  const [error, setError] = useState<string | null>(null);
  return (
    <Stack useFlexGap direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', mt: 2 }} component="form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        // The only account holds every role; once another exists, each holds only its own.
        if (firstOther && !window.confirm(t('confirmFirstOther'))) return;
        api.call('users/create', { name, displayName: displayName || name, roles, password }).then(() => {
          setName('');
          setDisplayName('');
          setPassword('');
          setRoles(['officer']);
          onDone();
        }, (er: Error) => setError(er.message));
      }}>
      <TextField size="small" label={t('userName')} value={name} onChange={(e) => setName(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'new-user-name' } }} />
      <TextField size="small" label={t('displayName')} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      <TextField size="small" type="password" label={t('password')} value={password} onChange={(e) => setPassword(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'new-user-password' } }} />
      {ROLES.map((r) => (
        <FormControlLabel key={r} label={<RoleChips roles={[r]} light={false} />} control={<Checkbox size="small" checked={roles.includes(r)} data-testid={`new-user-role-${r}`} onChange={(e) => setRoles((rs) => (e.target.checked ? [...rs, r] : rs.filter((x) => x !== r)))} />} />
      ))}
      <Button type="submit" variant="outlined" data-testid="add-user">{t('addUser')}</Button>
      {error && <Alert severity="error" data-testid="add-user-error">{error}</Alert>}
    </Stack>
  );
}

export function SettingsPage() {
  const { t, lang, marks, paren } = useI18n();
  const me = useMe();
  const [info, setInfo] = useState<WorkstationInfo | null>(null);
  const [users, setUsers] = useState<UserInfo[]>([]);
  const [backup, setBackup] = useState<string | null>(null);
  const [policies, setPolicies] = useState<PolicyInfo[]>([]);
  const [userMessage, setUserMessage] = useState<string | null>(null);
  const loadUsers = useCallback(() => {
    api.call('users/list', {}).then(setUsers, showCallError);
  }, []);
  useEffect(() => {
    api.call('workstation/info', {}).then(setInfo, showCallError);
    api.call('policy/list', {}).then(setPolicies, showCallError);
    loadUsers();
  }, [loadUsers]);
  const isAdmin = me.roles.includes('admin');
  return (
    <Stack spacing={2} sx={{ maxWidth: 1000 }}>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="h6" gutterBottom>{t('workstation')}</Typography>
        {info && (
          <Table size="small" data-testid="workstation-info">
            <TableBody>
              <TableRow><TableCell>{t('version')}</TableCell><TableCell>{info.product} {info.version}</TableCell></TableRow>
              <TableRow><TableCell>{t('database')}</TableCell><TableCell>{info.dbPath}</TableCell></TableRow>
              <TableRow><TableCell>{t('schema')}</TableCell><TableCell>{info.schemaVersion}</TableCell></TableRow>
              <TableRow><TableCell>{t('user')}</TableCell><TableCell>{info.user}</TableCell></TableRow>
              <TableRow><TableCell>{t('host')}</TableCell><TableCell data-testid="workstation-host">{hostLabel(info.host, lang)}</TableCell></TableRow>
            </TableBody>
          </Table>
        )}
        {(isAdmin || me.roles.includes('auditor')) && (
          <Stack direction="row" spacing={2} sx={{ mt: 2, alignItems: 'center' }}>
            <Button variant="outlined" data-testid="backup" onClick={() => api.call('system/backup', {}).then((r) => setBackup(r.path), showCallError)}>{t('backup')}</Button>
            {backup && <Typography variant="body2" data-testid="backup-done">{t('backupDone')} {backup}</Typography>}
            {isAdmin && (
              <FileButton
                color="warning"
                accept=".sqlite,.db"
                testId="restore-file"
                onFile={async (f) => {
                  if (!window.confirm(t('restoreConfirm'))) return;
                  try {
                    const r = await api.call('system/restore', { path: await fileForEngine(f) });
                    setBackup(`${t('restored')}${marks.colon}${r.auditEntries}${marks.semi}${r.keptAside}`);
                  } catch (err) {
                    setBackup((err as Error).message);
                  }
                }}
              >
                {t('restore')}
              </FileButton>
            )}
          </Stack>
        )}
      </Paper>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="h6" gutterBottom>{t('policyProfile')}</Typography>
        <TextField
          select
          size="small"
          value={policies.find((p) => p.active)?.id ?? ''}
          disabled={!isAdmin}
          onChange={(e) => api.call('policy/select', { id: e.target.value }).then(() => api.call('policy/list', {})).then(setPolicies, showCallError)}
          sx={{ minWidth: 360 }}
          slotProps={{ htmlInput: { 'data-testid': 'policy-select' } }}
        >
          {policies.map((p) => (
            <MenuItem key={p.id} value={p.id}>
              {p.name}
              {paren(`v${p.version}`)}
            </MenuItem>
          ))}
        </TextField>
        <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 1 }}>{policies.find((p) => p.active)?.document}</Typography>
        {isAdmin && policies.find((p) => p.active) && (
          <PolicyEditor policy={policies.find((p) => p.active)!} onSaved={(saved) => setPolicies((ps) => ps.map((p) => (p.id === saved.id ? saved : p)))} />
        )}
      </Paper>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="h6" gutterBottom>{t('users')}</Typography>
        <Table size="small" data-testid="user-table">
          <TableHead>
            <TableRow><TableCell>{t('userName')}</TableCell><TableCell>{t('displayName')}</TableCell><TableCell>{t('roles')}</TableCell><TableCell /></TableRow>
          </TableHead>
          <TableBody>
            {users.map((u) => (
              <UserRow key={`${u.name}:${u.roles.join()}:${u.disabled}`} u={u} me={me.user} isAdmin={isAdmin} onChanged={(m) => { setUserMessage(m); loadUsers(); }} />
            ))}
          </TableBody>
        </Table>
        {userMessage && <Alert severity="success" sx={{ mt: 1 }} data-testid="user-message">{userMessage}</Alert>}
        <Button size="small" sx={{ mt: 1 }} data-testid="change-own-password" onClick={() => {
          const password = window.prompt(t('newOwnPassword'));
          if (password) api.call('users/password', { password }).then(() => setUserMessage(t('passwordChanged')), showCallError);
        }}>
          {t('changeOwnPassword')}
        </Button>
        {isAdmin && <AddUser onDone={loadUsers} firstOther={users.length === 1} />}
      </Paper>
      <SignersPanel isAdmin={isAdmin} />
    </Stack>
  );
}
