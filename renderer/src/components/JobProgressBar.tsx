import { Box, Button, LinearProgress, Typography } from '@mui/material';
import type { JobProgress } from '../../../shared/contract';
import { useI18n } from '../i18n/i18n';

export function JobProgressBar({ label, progress, onCancel }: { label: string; progress: JobProgress | null; onCancel: () => void }) {
  const { t } = useI18n();
  const pct = progress && progress.total ? Math.min(100, (progress.done / progress.total) * 100) : null;
  const rate = progress && progress.unit === 'bytes' ? `${(progress.rate / 1048576).toFixed(1)} MB/s` : progress ? `${progress.rate}/s` : '';
  return (
    <Box data-testid="job-progress" sx={{ my: 2 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 0.5 }}>
        <Typography variant="body2" sx={{ flex: 1 }}>
          {label}
          {progress ? ` · ${progress.stage}` : ''}
          {pct !== null ? ` · ${pct.toFixed(0)}%` : ''}
          {rate ? ` · ${rate}` : ''}
        </Typography>
        <Button size="small" onClick={onCancel}>
          {t('cancel')}
        </Button>
      </Box>
      {pct === null ? <LinearProgress /> : <LinearProgress variant="determinate" value={pct} />}
    </Box>
  );
}
