// A period field that offers the periods the workstation has (newest first, with
// their state: 已导入 / 已对账 / 已锁定 and open breaks) and accepts typing one.
// The offer is the browser's own <datalist>: the field stays a plain text field,
// so typing, pasting and the keyboard behave as everywhere else.
import { TextField } from '@mui/material';
import type { ReconKind } from '../../../shared/domain';
import type { PeriodInfo } from '../../../shared/recon-types';
import { PERIOD_PATTERN, periodProblem } from '../../../shared/periods';
import { useCall } from '../api/use-call';
import { useI18n } from '../i18n/i18n';

export function PeriodField(props: { kind: ReconKind; value: string; onChange(p: string): void; onFocus?(): void; testId: string; width?: number }) {
  const { t } = useI18n();
  // Without the list the field still accepts typing: a failure is not worth an error bar.
  const options: PeriodInfo[] = useCall('periods/list', { kind: props.kind }, { onError: () => undefined }).data ?? [];
  const listId = `periods-${props.testId}-${props.kind}`;
  const stateLabel = (o: PeriodInfo) =>
    `${o.state === 'locked' ? t('periodLocked') : o.state === 'reconciled' ? t('periodReconciled') : t('periodData')}${o.openBreaks ? ` · ${t('openBreaksLeft')} ${o.openBreaks}` : ''}`;
  // Said at the field while typing, not only by the engine's refusal after a click: the
  // form in the interface's language, a week or month that does not exist in the engine's words.
  const problem = props.value === '' ? null : periodProblem(props.value);
  return (
    <>
      <TextField
        size="small"
        label={t('period')}
        value={props.value}
        error={problem !== null}
        helperText={problem === null ? undefined : PERIOD_PATTERN.test(props.value) ? problem : t('periodFormat')}
        slotProps={{ htmlInput: { 'data-testid': props.testId, list: listId, autoComplete: 'off' }, formHelperText: { sx: { position: 'absolute', top: '100%', m: 0, whiteSpace: 'nowrap' } } }}
        onChange={(e) => props.onChange(e.target.value.trim())}
        onFocus={props.onFocus}
        sx={{ width: props.width ?? 150 }}
      />
      <datalist id={listId} data-testid={`${props.testId}-options`}>
        {options.map((o) => (
          <option key={o.period} value={o.period} label={stateLabel(o)} data-testid={`period-option-${o.period}`} />
        ))}
      </datalist>
    </>
  );
}
