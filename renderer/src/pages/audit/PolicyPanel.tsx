// 政策检查: the workstation's policy profile with each rule's citation, a check of a
// period, and its findings — filtered by rule, each with the records involved and a
// plain-language explanation — worked to a conclusion and exported.
import { PERIOD_PATTERN } from '../../../../shared/periods';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Box, Button, Chip, MenuItem, Stack, TextField, Typography } from '@mui/material';
import type { ColDef } from 'ag-grid-community';
import type { AgGridReact } from 'ag-grid-react';
import { ruleLabel, type PolicyFinding, type PolicyInfo } from '../../../../shared/policy-types';
import { originText } from '../../../../shared/labels';
import { api, downloadUrl } from '../../api/client';
import { showCallError } from '../../api/call-errors';
import { DataGrid } from '../../grid/DataGrid';
import { useMe } from '../../auth/AuthGate';
import { useI18n } from '../../i18n/i18n';

const RESOLUTIONS = ['确认违规', '已追回', '已整改', '误报'] as const;
/** The resolutions in the English interface (the stored code stays Chinese). */
const RESOLUTIONS_EN: Record<string, string> = { 确认违规: 'Confirmed breach', 已追回: 'Recovered', 已整改: 'Corrected', 误报: 'Not a breach' };

export function PolicyPanel() {
  const { t, lang, marks, paren } = useI18n();
  const resolutionText = (r: string) => (lang === 'en' ? (RESOLUTIONS_EN[r] ?? r) : r);
  const me = useMe();
  const [period, setPeriod] = useState('2025-11');
  const [policies, setPolicies] = useState<PolicyInfo[]>([]);
  const [findings, setFindings] = useState<PolicyFinding[]>([]);
  const [rule, setRule] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string; link?: string } | null>(null);
  const grid = useRef<AgGridReact<PolicyFinding>>(null);
  const active = policies.find((p) => p.active);
  const valid = PERIOD_PATTERN.test(period);

  const load = useCallback(() => {
    api.call('policy/list', {}).then(setPolicies, showCallError);
    if (valid) api.call('policy/findings', { period, status: 'all' }).then(setFindings, showCallError);
  }, [period, valid]);
  useEffect(load, [load]);

  const run = async (fn: () => Promise<{ text: string; link?: string }>) => {
    try {
      setMessage({ ok: true, ...(await fn()) });
      load();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  const rules = useMemo(() => [...new Map(findings.map((f) => [f.rule, ruleLabel(f.rule, lang)])).entries()], [findings, lang]);
  const shown = rule ? findings.filter((f) => f.rule === rule) : findings;
  const mayWork = me.roles.includes('auditor') || me.roles.includes('officer');
  const cols = useMemo<ColDef<PolicyFinding>[]>(
    () => [
      { field: 'label', headerName: t('policyRule'), width: 200, valueGetter: (p) => (p.data ? ruleLabel(p.data.rule, lang) : '') },
      { field: 'explanation', headerName: t('colDetail'), flex: 1, minWidth: 400, wrapText: true, autoHeight: true },
      { field: 'citation', headerName: t('citation'), width: 260, wrapText: true, autoHeight: true },
      { headerName: t('records'), width: 160, wrapText: true, autoHeight: true, valueGetter: (p) => originText(p.data?.rows ?? [], lang) },
      { field: 'status', headerName: t('colStatus'), width: 100, valueGetter: (p) => (p.data?.status === 'open' ? t('statusOpen') : resolutionText(p.data?.resolution ?? '')) },
    ],
    [t, lang],
  );

  return (
    <Stack spacing={1.5} sx={{ height: '100%' }} data-testid="policy-panel">
      <Stack useFlexGap direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <TextField size="small" label={t('period')} value={period} onChange={(e) => setPeriod(e.target.value.trim())} sx={{ width: 130 }} slotProps={{ htmlInput: { 'data-testid': 'policy-period' } }} />
        <TextField
          select
          size="small"
          label={t('policyProfile')}
          value={active?.id ?? ''}
          disabled={!me.roles.includes('admin')}
          onChange={(e) => void run(async () => ({ text: (await api.call('policy/select', { id: e.target.value })).name }))}
          sx={{ width: 300 }}
        >
          {policies.map((p) => (
            <MenuItem key={p.id} value={p.id}>
              {p.name}
              {paren(`v${p.version}`)}
            </MenuItem>
          ))}
        </TextField>
        {mayWork && (
          <Button variant="contained" data-testid="policy-run" disabled={!valid} onClick={() => void run(async () => {
            const r = await api.call('policy/check', { period });
            return { text: `${r.findings.length} ${t('findings')}${r.skipped.length ? `；${r.skipped.join('；')}` : ''}` };
          })}>
            {t('runCheck')}
          </Button>
        )}
        <Button data-testid="policy-export" onClick={() => void run(async () => {
          const r = await api.call('policy/export', valid ? { period } : {});
          return { text: `${r.rows} → ${r.path}`, link: r.download };
        })}>
          {t('exportXlsx')}
        </Button>
        {mayWork &&
          RESOLUTIONS.map((res) => (
            <Button key={res} size="small" variant="outlined" onClick={() => {
              const ids = grid.current?.api.getSelectedRows().map((f) => f.id) ?? [];
              if (ids.length) void run(async () => ({ text: `${resolutionText(res)}${marks.colon}${(await api.call('policy/dispose', { ids, resolution: res, note: '' })).count}` }));
            }}>
              {resolutionText(res)}
            </Button>
          ))}
      </Stack>
      {active && (
        <Typography variant="caption" color="text.secondary">
          {active.document}
        </Typography>
      )}
      <Stack useFlexGap direction="row" spacing={1} sx={{ flexWrap: 'wrap' }}>
        {rules.map(([id, label]) => (
          <Chip key={id} label={`${label} ${findings.filter((f) => f.rule === id).length}`} variant={rule === id ? 'filled' : 'outlined'} onClick={() => setRule((r) => (r === id ? null : id))} data-testid={`policy-chip-${id}`} />
        ))}
      </Stack>
      {message && (
        <Alert severity={message.ok ? 'success' : 'error'} onClose={() => setMessage(null)} data-testid="policy-message">
          {message.text} {message.link && <a href={downloadUrl(message.link)} download>{message.link}</a>}
        </Alert>
      )}
      <Box sx={{ flex: 1, minHeight: 320 }} data-testid="policy-grid">
        <DataGrid<PolicyFinding> ref={grid} rowData={shown} columnDefs={cols} getRowId={(p) => String(p.data.id)} rowSelection={{ mode: 'multiRow', checkboxes: true, headerCheckbox: true }} />
      </Box>
    </Stack>
  );
}
