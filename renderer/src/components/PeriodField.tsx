// A period field that offers the periods the workstation has (newest first, with
// their state: 已导入 / 已对账 / 已锁定 and open breaks) and accepts typing one.
import { Autocomplete, TextField } from '@mui/material';
import type { ReconKind } from '../../../shared/domain';
import type { PeriodInfo } from '../../../shared/recon-types';
import { useCall } from '../api/use-call';
import { useI18n } from '../i18n/i18n';

export function PeriodField(props: { kind: ReconKind; value: string; onChange(p: string): void; testId: string; width?: number }) {
  const { t } = useI18n();
  // Without the list the field still accepts typing: a failure is not worth an error bar.
  const options: PeriodInfo[] = useCall('periods/list', { kind: props.kind }, { onError: () => undefined }).data ?? [];
  const stateLabel = (o: PeriodInfo) =>
    `${o.state === 'locked' ? t('periodLocked') : o.state === 'reconciled' ? t('periodReconciled') : t('periodData')}${o.openBreaks ? ` · ${t('openBreaksLeft')} ${o.openBreaks}` : ''}`;
  return (
    <Autocomplete
      freeSolo
      size="small"
      options={options.map((o) => o.period)}
      value={props.value}
      inputValue={props.value}
      // Typing, clearing and picking change the period; the list's own resets (options arriving, blur) do not.
      onInputChange={(_, v, reason) => {
        if (reason === 'input' || reason === 'clear' || reason === 'selectOption') props.onChange(v.trim());
      }}
      onChange={(_, v) => typeof v === 'string' && props.onChange(v.trim())}
      filterOptions={(xs, s) => xs.filter((x) => x.startsWith(s.inputValue.trim()) || s.inputValue.trim() === props.value)}
      renderOption={(p, option) => {
        const o = options.find((x) => x.period === option);
        const { key, ...rest } = p as typeof p & { key: string };
        return (
          <li key={key} {...rest} data-testid={`period-option-${option}`}>
            <span style={{ minWidth: 80, display: 'inline-block' }}>{option}</span>
            <span style={{ color: o?.state === 'locked' ? '#b71c1c' : '#666', fontSize: 12 }}>{o ? stateLabel(o) : ''}</span>
          </li>
        );
      }}
      sx={{ width: props.width ?? 150 }}
      slotProps={{ popper: { sx: { minWidth: 300 } } }}
      renderInput={(params) => <TextField {...params} label={t('period')} slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': props.testId } }} />}
    />
  );
}
