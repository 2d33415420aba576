import { MenuItem, Stack, TextField } from '@mui/material';
import type { ReconKind } from '../../../shared/domain';
import { lastCompletePeriod } from '../../../shared/periods';
import { useI18n } from '../i18n/i18n';
import { PeriodField } from './PeriodField';

/** The last complete period of a kind (Beijing calendar): settlement by month, premium by ISO week. */
export function defaultPeriod(kind: ReconKind, now = new Date()): string {
  return lastCompletePeriod(kind === 'settlement' ? 'month' : 'week', now);
}

export function KindPeriodPicker(props: { kind: ReconKind; period: string; onKind(k: ReconKind): void; onPeriod(p: string): void; onPeriodFocus?(): void }) {
  const { t } = useI18n();
  return (
    <Stack direction="row" spacing={2}>
      <TextField select size="small" label={t('reconKind')} value={props.kind} onChange={(e) => props.onKind(e.target.value as ReconKind)} sx={{ width: 200 }} slotProps={{ htmlInput: { 'data-testid': 'kind-select' } }}>
        <MenuItem value="premium">{t('kindPremium')}</MenuItem>
        <MenuItem value="settlement">{t('kindSettlement')}</MenuItem>
      </TextField>
      <PeriodField kind={props.kind} value={props.period} onChange={props.onPeriod} onFocus={props.onPeriodFocus} testId="period-input" />
    </Stack>
  );
}
