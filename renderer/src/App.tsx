// The shell: a left navigation of the six sections, a top bar with the language
// switch, and the page. Sections are addressed by the URL hash (#/import …) so a
// reload keeps the place.
import { useEffect, useState, type ReactNode } from 'react';
import { AppBar, Box, Button, Drawer, List, ListItemButton, ListItemText, Toolbar, Typography } from '@mui/material';
import { useI18n } from './i18n/i18n';
import type { MessageKey } from './i18n/messages';
import { ImportPage } from './pages/ImportPage';
import { ReconPage } from './pages/ReconPage';
import { BreaksPage } from './pages/BreaksPage';
import { SettingsPage } from './pages/SettingsPage';
import { ClearingPage } from './pages/ClearingPage';
import { AuditPage } from './pages/AuditPage';
import { useMe } from './auth/AuthGate';
import { RoleChips } from './components/RoleChips';
import { CallErrorBar } from './components/CallErrorBar';

const SECTIONS: { id: string; label: MessageKey; page: () => ReactNode }[] = [
  { id: 'import', label: 'navImport', page: () => <ImportPage /> },
  { id: 'recon', label: 'navRecon', page: () => <ReconPage /> },
  { id: 'breaks', label: 'navBreaks', page: () => <BreaksPage /> },
  { id: 'clearing', label: 'navClearing', page: () => <ClearingPage /> },
  { id: 'audit', label: 'navAudit', page: () => <AuditPage /> },
  { id: 'settings', label: 'navSettings', page: () => <SettingsPage /> },
];

const NAV_WIDTH = 180;
const current = () => window.location.hash.replace(/^#\/?/, '') || 'import';

export function App() {
  const { t, toggle } = useI18n();
  const me = useMe();
  const [section, setSection] = useState(current);
  useEffect(() => {
    const onHash = () => setSection(current());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const active = SECTIONS.find((s) => s.id === section) ?? SECTIONS[0]!;

  return (
    <Box sx={{ display: 'flex', height: '100vh' }}>
      <AppBar position="fixed" sx={{ zIndex: (th) => th.zIndex.drawer + 1 }}>
        <Toolbar variant="dense">
          <Typography variant="h6" sx={{ flex: 1 }} data-testid="app-title">{t('appTitle')}</Typography>
          <Typography variant="body2" sx={{ mr: 1 }} data-testid="current-user">{me.user}</Typography>
          <RoleChips roles={me.roles} />
          <Button color="inherit" data-testid="lang-toggle" onClick={toggle}>{t('language')}</Button>
          <Button color="inherit" data-testid="logout" onClick={() => void me.logout()}>{t('logout')}</Button>
        </Toolbar>
      </AppBar>
      <Drawer variant="permanent" sx={{ width: NAV_WIDTH, '& .MuiDrawer-paper': { width: NAV_WIDTH, boxSizing: 'border-box' } }}>
        <Toolbar variant="dense" />
        <List component="nav" aria-label="sections">
          {SECTIONS.map((s) => (
            <ListItemButton key={s.id} selected={s.id === active.id} data-testid={`nav-${s.id}`} onClick={() => (window.location.hash = `#/${s.id}`)}>
              <ListItemText primary={t(s.label)} />
            </ListItemButton>
          ))}
        </List>
      </Drawer>
      <Box component="main" sx={{ flex: 1, p: 2, display: 'flex', flexDirection: 'column', minWidth: 0 }}>
        <Toolbar variant="dense" />
        <Typography variant="h5" sx={{ mb: 2 }} data-testid="section-title">{t(active.label)}</Typography>
        <Box sx={{ flex: 1, minHeight: 0 }} key={active.id}>{active.page()}</Box>
      </Box>
      <CallErrorBar />
    </Box>
  );
}
