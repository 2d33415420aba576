// 单边账: the breaks of a kind and period, coloured by type, the differing fields
// shown with both values, filter chips per type with count and amount.
import { useEffect, useMemo, useState } from 'react';
import { Box, Chip, MenuItem, Stack, TextField, Typography } from '@mui/material';
import type { ColDef } from 'ag-grid-community';
import { BREAK_TYPES, type BreakType, type ReconKind } from '../../../shared/domain';
import type { BreakRow } from '../../../shared/recon-types';
import { FIELD_LABELS } from '../../../shared/labels';
import { maskCertNo } from '../../../shared/gb11643';
import { api } from '../api/client';
import { DataGrid } from '../grid/DataGrid';
import { KindPeriodPicker, defaultPeriod } from '../components/PeriodPicker';
import { useI18n } from '../i18n/i18n';

const TYPE_COLOURS: Record<BreakType, string> = {
  LEDGER_ONLY: '#fdecea',
  EXTERNAL_ONLY: '#fff4e5',
  AMOUNT_MISMATCH: '#fce4ec',
  STATUS_MISMATCH: '#ede7f6',
  FIELD_MISMATCH: '#e3f2fd',
  DUPLICATE: '#f3e5f5',
  IN_TRANSIT: '#e8f5e9',
};

export function BreaksPage() {
  const { t, breakLabel } = useI18n();
  const [kind, setKind] = useState<ReconKind>('premium');
  const [period, setPeriod] = useState(() => defaultPeriod('premium'));
  const [status, setStatus] = useState<'open' | 'closed' | 'all'>('open');
  const [types, setTypes] = useState<BreakType[]>([]);
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<BreakRow[]>([]);
  const [total, setTotal] = useState(0);

  useEffect(() => {
    if (!/^\d{4}-(W\d{2}|\d{2})$/.test(period)) return;
    void api
      .call('breaks/list', { kind, period, status, limit: 5000, ...(search ? { search } : {}) })
      .then((page) => {
        setRows(page.rows);
        setTotal(page.total);
      })
      .catch(() => setRows([]));
  }, [kind, period, status, search]);

  const counts = useMemo(() => {
    const m = new Map<BreakType, number>();
    for (const r of rows) m.set(r.type, (m.get(r.type) ?? 0) + 1);
    return m;
  }, [rows]);
  const shown = types.length ? rows.filter((r) => types.includes(r.type)) : rows;

  const cols = useMemo<ColDef<BreakRow>[]>(
    () => [
      { field: 'type', headerName: t('breakType'), width: 120, valueFormatter: (p) => breakLabel(p.value as BreakType) },
      { field: 'key', headerName: t('key'), width: 200 },
      { field: 'certno', headerName: t('certno'), width: 180, valueFormatter: (p) => maskCertNo(p.value as string | null) },
      { field: 'amount_ledger', headerName: t('amountLedger'), width: 120, type: 'numericColumn' },
      { field: 'amount_external', headerName: t('amountExternal'), width: 120, type: 'numericColumn' },
      { field: 'difference', headerName: t('difference'), width: 110, type: 'numericColumn' },
      {
        headerName: t('fieldsDiffer'),
        flex: 1,
        minWidth: 260,
        valueGetter: (p) => (p.data?.fields ?? []).map((f) => `${FIELD_LABELS[f.field] ?? f.field}: ${f.ledger ?? '—'} → ${f.external ?? '—'}`).join('；'),
        cellStyle: { color: '#b71c1c' },
      },
      { field: 'opened_period', headerName: t('openedPeriod'), width: 110 },
      { field: 'aging_days', headerName: t('aging'), width: 100, type: 'numericColumn' },
    ],
    [t, breakLabel],
  );

  return (
    <Stack spacing={2} sx={{ height: '100%' }}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <KindPeriodPicker kind={kind} period={period} onKind={(k) => { setKind(k); setPeriod(defaultPeriod(k)); }} onPeriod={setPeriod} />
        <TextField select size="small" label={t('colStatus')} value={status} onChange={(e) => setStatus(e.target.value as 'open')} sx={{ width: 120 }}>
          <MenuItem value="open">{t('statusOpen')}</MenuItem>
          <MenuItem value="closed">{t('statusClosed')}</MenuItem>
          <MenuItem value="all">{t('statusAll')}</MenuItem>
        </TextField>
        <TextField size="small" label={t('search')} value={search} onChange={(e) => setSearch(e.target.value)} sx={{ width: 240 }} />
        <Typography variant="body2" color="text.secondary" data-testid="break-count">{total}</Typography>
      </Stack>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }}>
        {BREAK_TYPES.map((type) => (
          <Chip
            key={type}
            data-testid={`chip-${type}`}
            label={`${breakLabel(type)} ${counts.get(type) ?? 0}`}
            onClick={() => setTypes((ts) => (ts.includes(type) ? ts.filter((x) => x !== type) : [...ts, type]))}
            variant={types.includes(type) ? 'filled' : 'outlined'}
            sx={{ bgcolor: types.includes(type) ? TYPE_COLOURS[type] : undefined }}
          />
        ))}
      </Stack>
      <Box sx={{ flex: 1, minHeight: 300 }} data-testid="breaks-grid">
        <DataGrid
          rowData={shown}
          columnDefs={cols}
          getRowId={(p) => String(p.data.id)}
          getRowStyle={(p) => (p.data ? { background: TYPE_COLOURS[p.data.type] } : undefined)}
          overlayNoRowsTemplate={`<span>${t('noBreaks')}</span>`}
        />
      </Box>
    </Stack>
  );
}
