import { Alert } from '@mui/material';
import { useI18n } from '../i18n/i18n';

/** A section whose engine work has not landed yet: says so plainly instead of showing a fake. */
export function ComingSoonPage({ testId }: { testId: string }) {
  const { t } = useI18n();
  return <Alert severity="info" data-testid={testId}>{t('comingSoon')}</Alert>;
}
