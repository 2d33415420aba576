// The shell: a left navigation of the six sections, a top bar with the language
// switch, and the page. Sections are addressed by the URL hash (#/import …) so a
// reload keeps the place.
import { useEffect, useState, type ReactNode } from 'react';
import { AppBar, Box, Button, Chip, Drawer, List, ListItemButton, ListItemText, Toolbar, Tooltip, Typography } from '@mui/material';
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
import { useMyQueue } from './components/use-my-queue';
import { RECON_KIND_LABELS, RECON_KIND_LABELS_EN } from '../../shared/labels';
import { beijingText } from '../../shared/beijing-time';
import type { BreakQueue } from '../../shared/recon-types';

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
  const queue = useMyQueue(me.roles.includes('officer'));

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
              {s.id === 'breaks' && queue && queue.open > 0 && <QueueCount queue={queue} />}
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

/** Beside 单边账: how many open breaks are the officer's, per kind, and who last gave them one. */
function QueueCount({ queue }: { queue: BreakQueue }) {
  const { t, lang, marks } = useI18n();
  const kinds = lang === 'en' ? RECON_KIND_LABELS_EN : RECON_KIND_LABELS;
  const lines = [
    `${t('myQueue')}${marks.colon}${queue.byKind.map((k) => `${kinds[k.kind]} ${k.count}`).join(lang === 'en' ? ', ' : '、')}`,
    ...(queue.latest ? [`${t('myQueueLatest')}${marks.colon}${queue.latest.by} · ${beijingText(queue.latest.at)} · ${kinds[queue.latest.kind]}`] : []),
  ];
  return (
    <Tooltip title={<span style={{ whiteSpace: 'pre-line' }}>{lines.join('\n')}</span>}>
      <Chip size="small" color="primary" label={queue.open} data-testid="my-queue" aria-label={lines.join('; ')} />
    </Tooltip>
  );
}
