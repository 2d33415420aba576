import { MenuItem, Stack, TextField } from '@mui/material';
import type { ReconKind } from '../../../shared/domain';
import { useI18n } from '../i18n/i18n';
import { PeriodField } from './PeriodField';

export function defaultPeriod(kind: ReconKind, now = new Date()): string {
  if (kind === 'settlement') {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  }
  // Last complete ISO week.
  const t = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 7));
  const dow = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dow);
  const y = t.getUTCFullYear();
  const w = Math.ceil(((t.getTime() - Date.UTC(y, 0, 1)) / 86400000 + 1) / 7);
  return `${y}-W${String(w).padStart(2, '0')}`;
}

export function KindPeriodPicker(props: { kind: ReconKind; period: string; onKind(k: ReconKind): void; onPeriod(p: string): void }) {
  const { t } = useI18n();
  return (
    <Stack direction="row" spacing={2}>
      <TextField select size="small" label={t('reconKind')} value={props.kind} onChange={(e) => props.onKind(e.target.value as ReconKind)} sx={{ width: 200 }} slotProps={{ htmlInput: { 'data-testid': 'kind-select' } }}>
        <MenuItem value="premium">{t('kindPremium')}</MenuItem>
        <MenuItem value="settlement">{t('kindSettlement')}</MenuItem>
      </TextField>
      <PeriodField kind={props.kind} value={props.period} onChange={props.onPeriod} testId="period-input" />
    </Stack>
  );
}
