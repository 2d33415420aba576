// 单边账: the officer's workbench. The grid reads pages from the engine (AG Grid's
// Infinite Row Model; sorting and filtering are done in SQL), rows are coloured by
// type and the differing fields shown with both values. Keyboard first: j/k or the
// arrows move, Enter opens the detail, a single key disposes, u undoes, / searches.
import { announceBreaksChanged } from '../api/breaks-changed';
import { useDebounced } from '../components/use-debounced';
import { PERIOD_PATTERN } from '../../../shared/periods';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Box, Button, Chip, Drawer, MenuItem, Stack, TextField, Typography } from '@mui/material';
import type { AgGridReact } from 'ag-grid-react';
import type { CellKeyDownEvent, ColDef, GridApi, IDatasource, IGetRowsParams, SortModelItem } from 'ag-grid-community';
import { BREAK_TYPES_OF, type BreakType, type ReconKind } from '../../../shared/domain';
import type { BreakFacets, BreakRow } from '../../../shared/recon-types';
import type { BreakQuery } from '../../../shared/contract';
import { AGING_BUCKETS, DISPOSITION_KEYS, dispositionLabel, type AgingBucket, type Disposition } from '../../../shared/break-work';
import { breakEventLabel, fieldDiffText } from '../../../shared/labels';
import { formatAmountText } from '../../../shared/money';
import { api, downloadUrl } from '../api/client';
import { showCallError } from '../api/call-errors';
import { DataGrid } from '../grid/DataGrid';
import { KindPeriodPicker, defaultPeriod } from '../components/PeriodPicker';
import { useLatestPeriod } from '../components/latest-period';
import { useI18n } from '../i18n/i18n';
import { useMe } from '../auth/AuthGate';
import { useJob } from '../api/use-job';
import { JobProgressBar } from '../components/JobProgressBar';
import { BreakDetailPanel } from './breaks/BreakDetailPanel';
import { AssignButton } from './breaks/AssignButton';
import { DisposeDialog } from './breaks/DisposeDialog';

export const TYPE_COLOURS: Record<BreakType, string> = {
  LEDGER_ONLY: '#fdecea',
  EXTERNAL_ONLY: '#fff4e5',
  AMOUNT_MISMATCH: '#fce4ec',
  STATUS_MISMATCH: '#ede7f6',
  FIELD_MISMATCH: '#e3f2fd',
  DUPLICATE: '#f3e5f5',
  IN_TRANSIT: '#e8f5e9',
  PLATFORM_FLAGGED: '#ede7f6',
};


export function BreaksPage() {
  const { t, breakLabel, lang, marks } = useI18n();
  const me = useMe();
  const [kind, setKind] = useState<ReconKind>('premium');
  const [period, setPeriod] = useState(() => defaultPeriod('premium'));
  const periodTouched = useLatestPeriod(kind, defaultPeriod(kind), setPeriod);
  const [status, setStatus] = useState<'open' | 'closed' | 'all'>('open');
  const [types, setTypes] = useState<BreakType[]>([]);
  const [aging, setAging] = useState<AgingBucket[]>([]);
  const [pendingOnly, setPendingOnly] = useState(false);
  const [pairedOnly, setPairedOnly] = useState(false);
  // Whose breaks: all, the signed-in officer's, or nobody's yet.
  const [assigned, setAssigned] = useState<'me' | 'none' | null>(null);
  const [search, setSearch] = useState('');
  // The grid asks again only once typing pauses.
  const searched = useDebounced(search.trim(), 300);
  const [total, setTotal] = useState<number | null>(null);
  const [facets, setFacets] = useState<BreakFacets>([]);
  const [detailId, setDetailId] = useState<number | null>(null);
  const [dispose, setDispose] = useState<{ ids: number[]; reason: Disposition; note?: string } | null>(null);
  const [message, setMessage] = useState<{ severity: 'success' | 'error' | 'info'; text: string; link?: string } | null>(null);
  const grid = useRef<AgGridReact<BreakRow>>(null);
  const searchBox = useRef<HTMLInputElement>(null);

  const validPeriod = PERIOD_PATTERN.test(period);
  const query = useMemo<BreakQuery>(
    () => ({
      kind,
      ...(validPeriod ? { period } : {}),
      status,
      ...(types.length ? { types } : {}),
      ...(aging.length ? { aging } : {}),
      ...(pendingOnly ? { pending: true } : {}),
      ...(pairedOnly ? { paired: true } : {}),
      ...(assigned ? { assignee: assigned === 'me' ? me.user : '' } : {}),
      ...(searched ? { search: searched } : {}),
    }),
    [kind, period, validPeriod, status, types, aging, pendingOnly, pairedOnly, assigned, me.user, searched],
  );

  const api$ = () => grid.current?.api as GridApi<BreakRow> | undefined;

  const datasource = useMemo<IDatasource>(
    () => ({
      getRows(p: IGetRowsParams) {
        const sort = (p.sortModel as SortModelItem[]).map((s) => ({ col: s.colId, dir: s.sort }));
        api
          .call('breaks/list', { ...query, offset: p.startRow, limit: p.endRow - p.startRow, ...(sort.length ? { sort } : {}) })
          .then((page) => {
            setTotal(page.total);
            p.successCallback(page.rows, page.total);
          })
          .catch((e: Error) => {
            setMessage({ severity: 'error', text: e.message });
            p.failCallback();
          });
      },
    }),
    [query],
  );

  // How many of the view's breaks are the signed-in officer's (the 我经办的 chip's count: their queue).
  const officer = me.roles.includes('officer');
  const [mine, setMine] = useState<number | null>(null);
  // And how many have a likely other half (the ⇄ chip's count; the engine keeps the pairs until a break changes).
  const [pairCount, setPairCount] = useState<number | null>(null);
  const loadFacets = useCallback(() => {
    api.call('breaks/facets', query).then(setFacets, (e: unknown) => {
      setFacets([]);
      showCallError(e);
    });
    if (officer) api.call('breaks/list', { ...query, assignee: me.user, limit: 1 }).then((p) => setMine(p.total), () => setMine(null));
    api.call('breaks/list', { ...query, paired: true, limit: 1 }).then((p) => setPairCount(p.total), () => setPairCount(null));
  }, [query, officer, me.user]);
  useEffect(loadFacets, [loadFacets]);

  /** After an action: reload the visible pages in place, keeping scroll and selection. */
  const refresh = useCallback(() => {
    api$()?.refreshInfiniteCache();
    loadFacets();
    announceBreaksChanged();
  }, [loadFacets]);

  const targets = (): number[] => {
    const a = api$();
    if (!a) return [];
    const sel = a.getSelectedRows().map((r) => r.id);
    if (sel.length) return sel;
    const f = a.getFocusedCell();
    const row = f ? a.getDisplayedRowAtIndex(f.rowIndex)?.data : undefined;
    return row ? [row.id] : [];
  };

  const doDispose = async (ids: number[], reason: Disposition, note: string) => {
    try {
      const r = await api.call('breaks/dispose', { ids, reason, note, ...(validPeriod ? { period } : {}) });
      setMessage({ severity: 'success', text: `${dispositionLabel(reason, lang)}${marks.colon}${r.count}` });
      api$()?.deselectAll();
      refresh();
      if (detailId !== null && ids.includes(detailId) && reason !== '核销') setDetailId(null);
    } catch (e) {
      setMessage({ severity: 'error', text: (e as Error).message });
    }
  };

  /** Assigns breaks to an officer (null: to nobody), says so, and lets the selection go as after a disposition. */
  const assignTo = async (ids: number[], to: string | null) => {
    try {
      const r = await api.call('breaks/assign', { ids, to });
      setMessage({ severity: 'success', text: `${to ? t('assignedDone') : t('unassign')}${marks.colon}${r.count}${to ? ` → ${to}` : ''}` });
      api$()?.deselectAll();
      refresh();
    } catch (e) {
      setMessage({ severity: 'error', text: (e as Error).message });
    }
  };

  const undo = async () => {
    try {
      const r = await api.call('breaks/undo', {});
      setMessage({ severity: 'info', text: `${t('undo')}${marks.colon}${breakEventLabel(r.action, lang)} ${r.undone}${lang === 'en' ? '' : ' 条'}` });
      refresh();
    } catch (e) {
      setMessage({ severity: 'error', text: (e as Error).message });
    }
  };

  const decide = async (approve: boolean) => {
    const ids = targets();
    if (!ids.length) return;
    try {
      const r = await api.call('breaks/approve', { ids, approve });
      setMessage({ severity: 'success', text: `${approve ? t('approve') : t('reject')}${marks.colon}${r.count}` });
      api$()?.deselectAll();
      refresh();
    } catch (e) {
      setMessage({ severity: 'error', text: (e as Error).message });
    }
  };

  // Exporting a large view is long work: a job with a progress bar and a cancel button.
  const exportJob = useJob('export');
  const exportView = (format: 'xlsx' | 'csv') => void exportJob.start({ query, format });
  useEffect(() => {
    if (exportJob.result) setMessage({ severity: 'success', text: `${exportJob.result.rows} → ${exportJob.result.path}`, link: exportJob.result.download });
    else if (exportJob.error) setMessage({ severity: 'error', text: exportJob.error });
  }, [exportJob.result, exportJob.error]);

  const canWork = me.roles.includes('officer');
  const onKey = (e: CellKeyDownEvent<BreakRow>) => {
    const ev = e.event as KeyboardEvent | undefined;
    if (!ev || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const a = e.api;
    if (ev.key === 'j' || ev.key === 'k') {
      const next = Math.max(0, e.rowIndex! + (ev.key === 'j' ? 1 : -1));
      a.ensureIndexVisible(next);
      a.setFocusedCell(next, e.column);
      ev.preventDefault();
    } else if (ev.key === 'Enter' && e.data) {
      setDetailId(e.data.id);
      ev.preventDefault();
    } else if (ev.key === 'u' && canWork) {
      void undo();
    } else if (ev.key === 'm' && canWork) {
      // m: mine — the selection (or this row) assigned to the signed-in officer.
      const ids = targets();
      if (ids.length) void assignTo(ids, me.user);
      ev.preventDefault();
    } else if (DISPOSITION_KEYS[ev.key] && canWork) {
      const ids = targets();
      if (ids.length) setDispose({ ids, reason: DISPOSITION_KEYS[ev.key]! });
      ev.preventDefault();
    }
  };

  /** Closes the detail and gives the keyboard back to the grid, on the row it was on. */
  const closeDetail = useCallback(() => {
    setDetailId(null);
    const a = api$();
    const at = a?.getFocusedCell();
    if (a && at) a.setFocusedCell(at.rowIndex, at.column);
  }, []);

  // Esc closes the detail (the drawer stays open beside the grid, so it does not close itself);
  // not while a dialog is open or a text is being typed, where Esc belongs to them.
  useEffect(() => {
    if (detailId === null || dispose !== null) return;
    const onEsc = (ev: KeyboardEvent) => {
      const tag = (ev.target as HTMLElement).tagName;
      if (ev.key === 'Escape' && tag !== 'INPUT' && tag !== 'TEXTAREA') {
        ev.preventDefault();
        closeDetail();
      }
    };
    window.addEventListener('keydown', onEsc);
    return () => window.removeEventListener('keydown', onEsc);
  }, [detailId, dispose, closeDetail]);

  useEffect(() => {
    const onSlash = (ev: KeyboardEvent) => {
      const tag = (ev.target as HTMLElement).tagName;
      if (ev.key === '/' && tag !== 'INPUT' && tag !== 'TEXTAREA') {
        ev.preventDefault();
        searchBox.current?.focus();
      }
    };
    window.addEventListener('keydown', onSlash);
    return () => window.removeEventListener('keydown', onSlash);
  }, []);

  const cols = useMemo<ColDef<BreakRow>[]>(
    () => [
      { field: 'type', headerName: t('breakType'), width: 110, sortable: true, valueFormatter: (p) => (p.value ? breakLabel(p.value as BreakType) : '') },
      {
        field: 'key',
        headerName: t('key'),
        width: 200,
        sortable: true,
        // A one-sided break whose other half is likely on the other side under another number (the detail names it).
        cellRenderer: (p: { value?: string; data?: BreakRow }) => (
          <>
            {p.value}
            {p.data?.paired && <span title={t('counterpartsHint')} data-testid="paired-mark" style={{ marginLeft: 6, color: '#0277bd' }}>⇄</span>}
          </>
        ),
      },
      { field: 'certno', headerName: t('certno'), width: 170 },
      { field: 'name', headerName: t('displayName'), width: 80 },
      {
        field: 'amount_ledger',
        headerName: t('amountLedger'),
        width: 120,
        type: 'numericColumn',
        sortable: true,
        valueFormatter: (p) => formatAmountText(p.value as string | null | undefined),
        cellClassRules: { 'cell-differs': (p) => !!p.data?.fields.some((f) => f.field === 'amount') },
      },
      {
        field: 'amount_external',
        headerName: t('amountExternal'),
        width: 120,
        type: 'numericColumn',
        sortable: true,
        valueFormatter: (p) => formatAmountText(p.value as string | null | undefined),
        cellClassRules: { 'cell-differs': (p) => !!p.data?.fields.some((f) => f.field === 'amount') },
      },
      { field: 'difference', headerName: t('difference'), width: 110, type: 'numericColumn', sortable: true, valueFormatter: (p) => formatAmountText(p.value as string | null | undefined) },
      {
        colId: 'fields',
        headerName: t('fieldsDiffer'),
        flex: 1,
        minWidth: 240,
        valueGetter: (p) => (p.data?.fields ?? []).map((f) => fieldDiffText(f, lang)).join(marks.semi),
        cellStyle: { color: '#b71c1c' },
      },
      { field: 'opened_period', headerName: t('openedPeriod'), width: 105, sortable: true },
      { field: 'aging_days', headerName: t('aging'), width: 95, type: 'numericColumn', sortable: true },
      { field: 'assignee', headerName: t('assignee'), width: 100, sortable: true },
      { field: 'resolution', headerName: t('resolution'), width: 90, valueGetter: (p) => (p.data?.pending ? `${dispositionLabel(p.data.pending, lang)}?` : p.data?.resolution ? dispositionLabel(p.data.resolution, lang) : '') },
    ],
    [t, breakLabel, lang, marks],
  );

  const facetOf = (type: BreakType) => facets.find((f) => f.type === type);

  return (
    <Stack spacing={1.5} sx={{ height: '100%' }}>
      <Stack useFlexGap direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <KindPeriodPicker kind={kind} period={period} onKind={(k) => { setKind(k); setPeriod(defaultPeriod(k)); }} onPeriod={setPeriod} onPeriodFocus={periodTouched} />
        <TextField select size="small" label={t('colStatus')} value={status} onChange={(e) => setStatus(e.target.value as 'open')} sx={{ width: 110 }} slotProps={{ htmlInput: { 'data-testid': 'status-select' } }}>
          <MenuItem value="open">{t('statusOpen')}</MenuItem>
          <MenuItem value="closed">{t('statusClosed')}</MenuItem>
          <MenuItem value="all">{t('statusAll')}</MenuItem>
        </TextField>
        <TextField size="small" inputRef={searchBox} label={`${t('search')} (/)`} value={search} onChange={(e) => setSearch(e.target.value)} sx={{ width: 230 }} slotProps={{ htmlInput: { 'data-testid': 'break-search' } }} />
        <Typography variant="body2" color="text.secondary" data-testid="break-count">{total ?? ''}</Typography>
        <Box sx={{ flex: 1 }} />
        {canWork && <Button size="small" data-testid="undo" onClick={() => void undo()}>{t('undo')}（u）</Button>}
        {canWork && (
          <AssignButton targets={targets} assign={assignTo} />
        )}
        {canWork && <Button size="small" variant="outlined" data-testid="bulk-dispose" onClick={() => { const ids = targets(); if (ids.length) setDispose({ ids, reason: '补记' }); }}>{t('dispose')}</Button>}
        {me.roles.includes('finance') && pendingOnly && <Button size="small" variant="outlined" data-testid="approve" onClick={() => void decide(true)}>{t('approve')}</Button>}
        {me.roles.includes('finance') && pendingOnly && <Button size="small" onClick={() => void decide(false)}>{t('reject')}</Button>}
        <Button size="small" data-testid="export-xlsx" disabled={exportJob.running} onClick={() => exportView('xlsx')}>{t('exportXlsx')}</Button>
        <Button size="small" data-testid="export-csv" disabled={exportJob.running} onClick={() => exportView('csv')}>{t('exportCsv')}</Button>
      </Stack>
      <Stack useFlexGap direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
        {BREAK_TYPES_OF[kind].map((type) => {
          const f = facetOf(type);
          return (
            <Chip
              key={type}
              data-testid={`chip-${type}`}
              label={`${breakLabel(type)} ${f?.count ?? 0} · ¥${formatAmountText(f?.amount ?? '0.00')}`}
              onClick={() => setTypes((ts) => (ts.includes(type) ? ts.filter((x) => x !== type) : [...ts, type]))}
              variant={types.includes(type) ? 'filled' : 'outlined'}
              sx={{ bgcolor: types.includes(type) ? TYPE_COLOURS[type] : undefined, borderColor: TYPE_COLOURS[type] }}
            />
          );
        })}
        <Box sx={{ width: 16 }} />
        {AGING_BUCKETS.map((b) => (
          <Chip key={b} size="small" data-testid={`aging-${b}`} label={`${b} ${t('days')}`} variant={aging.includes(b) ? 'filled' : 'outlined'} onClick={() => setAging((as) => (as.includes(b) ? as.filter((x) => x !== b) : [...as, b]))} />
        ))}
        <Chip size="small" data-testid="pending-only" label={t('pendingOnly')} variant={pendingOnly ? 'filled' : 'outlined'} color={pendingOnly ? 'warning' : 'default'} onClick={() => setPendingOnly((v) => !v)} />
        <Chip size="small" data-testid="assigned-me" label={mine === null ? t('assignedToMe') : `${t('assignedToMe')} ${mine}`} variant={assigned === 'me' ? 'filled' : 'outlined'} color={assigned === 'me' ? 'primary' : 'default'} onClick={() => setAssigned((a) => (a === 'me' ? null : 'me'))} />
        <Chip size="small" data-testid="assigned-none" label={t('unassigned')} variant={assigned === 'none' ? 'filled' : 'outlined'} color={assigned === 'none' ? 'primary' : 'default'} onClick={() => setAssigned((a) => (a === 'none' ? null : 'none'))} />
        <Chip size="small" data-testid="paired-only" label={pairCount === null ? `⇄ ${t('pairedOnly')}` : `⇄ ${t('pairedOnly')} ${pairCount}`} title={t('counterpartsHint')} variant={pairedOnly ? 'filled' : 'outlined'} color={pairedOnly ? 'info' : 'default'} onClick={() => setPairedOnly((v) => !v)} />
      </Stack>
      {exportJob.running && <JobProgressBar label={t('exportXlsx')} progress={exportJob.progress} onCancel={() => void exportJob.cancel()} />}
      {message && (
        <Alert severity={message.severity} onClose={() => setMessage(null)} data-testid="break-message">
          {message.text} {message.link && <a href={downloadUrl(message.link)} download data-testid="download-link">{message.link}</a>}
        </Alert>
      )}
      <Typography variant="caption" color="text.secondary">{t('keyboardHint')}</Typography>
      <Box sx={{ flex: 1, minHeight: 300, '& .cell-differs': { bgcolor: '#ffcdd2', fontWeight: 600 } }} data-testid="breaks-grid">
        <DataGrid<BreakRow>
          ref={grid}
          columnDefs={cols}
          rowModelType="infinite"
          datasource={datasource}
          cacheBlockSize={200}
          maxBlocksInCache={50}
          getRowId={(p) => String(p.data.id)}
          rowSelection={{ mode: 'multiRow', checkboxes: true, headerCheckbox: false, enableClickSelection: false }}
          getRowStyle={(p) => (p.data ? { background: TYPE_COLOURS[p.data.type] } : undefined)}
          onCellKeyDown={onKey}
          // With the detail open, it follows the row the keyboard (j/k, arrows) or a click moves to.
          onCellFocused={(e) => {
            if (detailId === null || e.rowIndex === null || e.rowPinned) return;
            const id = e.api.getDisplayedRowAtIndex(e.rowIndex)?.data?.id;
            if (id !== undefined && id !== detailId) setDetailId(id);
          }}
          onCellDoubleClicked={(e) => e.data && setDetailId(e.data.id)}
        />
      </Box>
      <Drawer
        anchor="right"
        open={detailId !== null}
        onClose={() => setDetailId(null)}
        variant="persistent"
        // Below the app bar, which sits above drawers.
        sx={{ '& .MuiDrawer-paper': { top: 48, height: 'calc(100% - 48px)', boxShadow: 6 } }}
      >
        {detailId !== null && (
          <BreakDetailPanel
            id={detailId}
            onClose={closeDetail}
            onChanged={refresh}
            onDispose={(reason) => setDispose({ ids: [detailId], reason })}
            onOpen={setDetailId}
            // The same payment under two numbers is no difference: 误报, the pair named in the note (the officer may choose otherwise).
            onDisposePair={(other, note) => setDispose({ ids: [detailId, other], reason: '误报', note })}
          />
        )}
      </Drawer>
      <DisposeDialog
        open={dispose !== null}
        count={dispose?.ids.length ?? 0}
        reason={dispose?.reason ?? '补记'}
        note={dispose?.note}
        onClose={() => setDispose(null)}
        onConfirm={(reason, note) => {
          const ids = dispose?.ids ?? [];
          setDispose(null);
          void doDispose(ids, reason, note);
        }}
      />
    </Stack>
  );
}
