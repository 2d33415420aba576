import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CssBaseline, ThemeProvider, createTheme } from '@mui/material';
import { zhCN } from '@mui/material/locale';
import { App } from './App';
import { I18nProvider } from './i18n/i18n';
import { AuthGate } from './auth/AuthGate';

const theme = createTheme(
  {
    palette: { primary: { main: '#0d47a1' } },
    typography: { fontFamily: '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif', fontSize: 13 },
  },
  zhCN,
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <I18nProvider>
        <AuthGate>
          <App />
        </AuthGate>
      </I18nProvider>
    </ThemeProvider>
  </StrictMode>,
);
