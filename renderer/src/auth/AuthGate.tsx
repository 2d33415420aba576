// Nothing of the workstation shows until someone is signed in: the first start
// creates the administrator, later starts ask for name and password, and an idle
// session locks until the password is given again.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Box, Button, Paper, Stack, TextField, Typography } from '@mui/material';
import type { AuthStatus } from '../../../shared/auth-types';
import type { Role } from '../../../shared/roles';
import { api, onAuthProblem, session } from '../api/client';
import { useI18n } from '../i18n/i18n';

interface Me {
  user: string;
  roles: Role[];
  logout(): Promise<void>;
}

const MeCtx = createContext<Me | null>(null);
export function useMe(): Me {
  const me = useContext(MeCtx);
  if (!me) throw new Error('AuthGate missing');
  return me;
}

function Panel({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <Box sx={{ height: '100vh', display: 'grid', placeItems: 'center', bgcolor: '#eef2f7' }}>
      <Paper sx={{ p: 4, width: 380 }} data-testid={testId}>
        <Typography variant="h5" sx={{ mb: 2 }}>{title}</Typography>
        {children}
      </Paper>
    </Box>
  );
}

export function AuthGate({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<AuthStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const lastActivity = useRef(Date.now());

  const refresh = useCallback(async () => {
    setStatus(await api.call('auth/status', {}));
  }, []);
  useEffect(() => {
    void refresh();
    return onAuthProblem(() => void refresh());
  }, [refresh]);

  // The UI locks itself after the same idle time the engine enforces.
  useEffect(() => {
    const touch = () => (lastActivity.current = Date.now());
    const events = ['keydown', 'mousedown', 'wheel'] as const;
    events.forEach((e) => window.addEventListener(e, touch));
    const timer = window.setInterval(() => {
      if (status?.session && !status.session.locked && Date.now() - lastActivity.current > status.idleMinutes * 60_000) void refresh();
    }, 30_000);
    return () => {
      events.forEach((e) => window.removeEventListener(e, touch));
      window.clearInterval(timer);
    };
  }, [status, refresh]);

  const submit = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
      setPassword('');
      await refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const logout = useCallback(async () => {
    await api.call('auth/logout', {}).catch(() => undefined);
    session.set(null);
    await refresh();
  }, [refresh]);

  if (!status) return null;
  const pw = (
    <TextField label={t('password')} type="password" value={password} onChange={(e) => setPassword(e.target.value)} fullWidth slotProps={{ htmlInput: { 'data-testid': 'password' } }} />
  );
  const err = error && <Alert severity="error" data-testid="auth-error">{error}</Alert>;

  if (status.needsSetup) {
    return (
      <Panel title={t('setupTitle')} testId="setup-screen">
        <Stack spacing={2} component="form" onSubmit={(e) => { e.preventDefault(); void submit(async () => session.set((await api.call('auth/setup', { name, displayName: displayName || name, password })).session)); }}>
          <Typography variant="body2" color="text.secondary">{t('setupHint')}</Typography>
          <TextField label={t('userName')} value={name} onChange={(e) => setName(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'user-name' } }} />
          <TextField label={t('displayName')} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          {pw}
          {err}
          <Button type="submit" variant="contained" data-testid="auth-submit">{t('createAdmin')}</Button>
        </Stack>
      </Panel>
    );
  }
  if (!status.session) {
    return (
      <Panel title={t('appTitle')} testId="login-screen">
        <Stack spacing={2} component="form" onSubmit={(e) => { e.preventDefault(); void submit(async () => session.set((await api.call('auth/login', { name, password })).session)); }}>
          <TextField label={t('userName')} value={name} onChange={(e) => setName(e.target.value)} autoFocus slotProps={{ htmlInput: { 'data-testid': 'user-name' } }} />
          {pw}
          {err}
          <Button type="submit" variant="contained" data-testid="auth-submit">{t('login')}</Button>
        </Stack>
      </Panel>
    );
  }
  if (status.session.locked) {
    return (
      <Panel title={t('lockedTitle')} testId="lock-screen">
        <Stack spacing={2} component="form" onSubmit={(e) => { e.preventDefault(); void submit(async () => void (await api.call('auth/unlock', { password }))); }}>
          <Typography variant="body2">{status.session.user}</Typography>
          {pw}
          {err}
          <Button type="submit" variant="contained" data-testid="auth-submit">{t('unlock')}</Button>
          <Button onClick={() => void logout()}>{t('logout')}</Button>
        </Stack>
      </Panel>
    );
  }
  return <MeCtx.Provider value={{ user: status.session.user, roles: status.session.roles, logout }}>{children}</MeCtx.Provider>;
}
