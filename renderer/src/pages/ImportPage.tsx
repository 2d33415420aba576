// 导入: choose or drop a file, see what was detected (kind, encoding, delimiter,
// profile, first rows), import it as a job with progress, see problems in a grid,
// and the batch list after.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { formatAmountText } from '../../../shared/money';
import { beijingText } from '../../../shared/beijing-time';
import { Alert, Box, Button, Checkbox, Chip, FormControlLabel, MenuItem, Paper, Stack, TextField, Typography } from '@mui/material';
import type { ColDef } from 'ag-grid-community';
import type { BatchInfo, ImportProblem } from '../../../shared/domain';
import type { ImportPreview } from '../../../shared/import-types';
import { kindName } from '../../../shared/import-kinds';
import { api, downloadUrl, fileForEngine } from '../api/client';
import { showCallError } from '../api/call-errors';
import { useJob } from '../api/use-job';
import { DataGrid } from '../grid/DataGrid';
import { JobProgressBar } from '../components/JobProgressBar';
import { ProfileExchange, ProfileMapper } from './import/ProfileMapper';
import { useI18n } from '../i18n/i18n';
import { useCan } from '../auth/use-can';
import { Gated } from '../components/Gated';
import { useMe } from '../auth/AuthGate';

/** A count of rows as people read it: 1,000,000, not 1000000. */
const count = (n: number | null | undefined): string => (typeof n === 'number' ? n.toLocaleString('zh-CN') : '');

export function ImportPage() {
  const { t, lang, marks, paren } = useI18n();
  const [batches, setBatches] = useState<BatchInfo[]>([]);
  const [staged, setStaged] = useState<{ path: string; name: string } | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [acceptPartial, setAcceptPartial] = useState(false);
  // The encoding is detected; the officer may override it (an old GBK file read as UTF-8 shows as mojibake).
  const [encoding, setEncoding] = useState<'utf-8' | 'gb18030' | 'gbk' | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const job = useJob('import');

  const refresh = useCallback(() => {
    api.call('imports/list', { includeWithdrawn: true }).then(setBatches, showCallError);
  }, []);
  useEffect(refresh, [refresh]);
  useEffect(() => {
    if (job.result) refresh();
  }, [job.result, refresh]);

  const choose = async (file: File) => {
    job.reset();
    setPreview(null);
    setPreviewError(null);
    try {
      const path = await fileForEngine(file);
      setStaged({ path, name: file.name });
      setEncoding(null);
      setPreview(await api.call('imports/preview', { path }));
    } catch (e) {
      setPreviewError((e as Error).message);
    }
  };

  const problems: ImportProblem[] = useMemo(() => {
    const d = job.errorDetails as { problems?: ImportProblem[] } | null;
    return d?.problems ?? job.result?.problems ?? [];
  }, [job.errorDetails, job.result]);

  // The batch's original file, written out from the store and checked against its SHA-256.
  const [source, setSource] = useState<{ ok: boolean; text: string; download?: string } | null>(null);
  const fetchSource = useCallback(
    async (batchId: number) => {
      try {
        const r = await api.call('imports/source', { batchId });
        setSource({ ok: r.matches, text: `${r.matches ? t('sourceFileOk') : t('sourceFileMismatch')} · ${r.path}`, download: r.download });
      } catch (e) {
        setSource({ ok: false, text: (e as Error).message });
      }
    },
    [t],
  );

  // 撤销导入: an officer takes a batch's rows out again, with a reason (kept and audited).
  const me = useMe();
  const can = useCan();
  const mayImport = can({ job: 'import' });
  const mayDemo = can({ call: 'demo/load' });
  const mayWithdraw = me.roles.includes('officer');
  const withdraw = useCallback(
    (b: BatchInfo) => {
      const reason = window.prompt(`${t('withdrawReason')}${paren(`#${b.id} ${b.fileName}`)}`);
      if (!reason?.trim()) return;
      api.call('imports/withdraw', { batchId: b.id, reason: reason.trim() }).then(() => {
        setSource({ ok: true, text: `${t('withdrawn')}${marks.colon}#${b.id} ${b.fileName}` });
        refresh();
      }, (e: Error) => setSource({ ok: false, text: e.message }));
    },
    [t, refresh, paren, marks],
  );

  const batchCols = useMemo<ColDef<BatchInfo>[]>(
    () => [
      { field: 'id', headerName: t('colId'), width: 80 },
      { field: 'kind', headerName: t('colKind'), width: 170, valueFormatter: (p) => (p.value ? kindName(p.value as BatchInfo['kind'], lang) : '') },
      { field: 'fileName', headerName: t('colFile'), flex: 1, minWidth: 220 },
      { field: 'rows', headerName: t('colRows'), width: 100, type: 'numericColumn', valueFormatter: (p) => count(p.value as number) },
      { field: 'rejected', headerName: t('colRejected'), width: 90, type: 'numericColumn', valueFormatter: (p) => count(p.value as number) },
      { field: 'encoding', headerName: t('colEncoding'), width: 100 },
      { field: 'profile', headerName: t('colProfile'), width: 220 },
      { headerName: t('colPeriod'), width: 200, valueGetter: (p) => (p.data?.periodFrom ? `${p.data.periodFrom.slice(0, 10)} ~ ${p.data.periodTo?.slice(0, 10)}` : '') },
      { field: 'importedBy', headerName: t('colImportedBy'), width: 110 },
      { field: 'importedAt', headerName: t('colImportedAt'), width: 170, valueFormatter: (p) => (p.value ? beijingText(String(p.value)) : '') },
      { field: 'status', headerName: t('colStatus'), width: 90, valueFormatter: (p) => (p.value === 'withdrawn' ? t('statusWithdrawn') : t('statusActive')) },
      {
        headerName: t('sourceFile'),
        width: mayWithdraw ? 190 : 100,
        sortable: false,
        pinned: 'right',
        cellRenderer: (p: { data?: BatchInfo }) =>
          p.data ? (
            <>
              <Button size="small" data-testid={`source-${p.data.id}`} onClick={() => void fetchSource(p.data!.id)}>
                {t('sourceFileGet')}
              </Button>
              {mayWithdraw && p.data.status === 'active' && (
                <Button size="small" color="warning" data-testid={`withdraw-${p.data.id}`} onClick={() => withdraw(p.data!)}>
                  {t('withdraw')}
                </Button>
              )}
            </>
          ) : null,
      },
    ],
    [t, lang, fetchSource, mayWithdraw, withdraw],
  );
  const problemCols = useMemo<ColDef<ImportProblem>[]>(
    () => [
      { field: 'line', headerName: t('colLine'), width: 90, type: 'numericColumn' },
      { field: 'column', headerName: t('colColumn'), width: 160 },
      { field: 'value', headerName: t('colValue'), width: 200 },
      { field: 'message', headerName: t('colMessage'), flex: 1 },
    ],
    [t],
  );

  const [demo, setDemo] = useState<string | null>(null);
  const loadDemo = async () => {
    try {
      const r = await api.call('demo/load', {});
      setDemo(`${t('demoLoaded')}${marks.colon}${r.premium.period}${marks.list}${r.settlement.period}`);
      refresh();
    } catch (e) {
      setDemo((e as Error).message);
    }
  };

  return (
    <Stack spacing={2} sx={{ height: '100%' }}>
      {batches.length === 0 && (
        <Alert severity="info" action={<Gated can={mayDemo}><Button data-testid="load-demo" disabled={!mayDemo.ok} onClick={() => void loadDemo()}>{t('demoData')}</Button></Gated>}>
          {t('noBatches')}
        </Alert>
      )}
      {demo && <Alert severity="success" data-testid="demo-result" onClose={() => setDemo(null)}>{demo}</Alert>}
      {!mayImport.ok && (
        <Alert severity="info" data-testid="import-not-allowed">
          {t('importNotAllowed')}
          {paren(mayImport.reason ?? '')}
        </Alert>
      )}
      {mayImport.ok && <Paper
        variant="outlined"
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const f = e.dataTransfer.files[0];
          if (f) void choose(f);
        }}
        onClick={() => input.current?.click()}
        sx={{ p: 3, textAlign: 'center', cursor: 'pointer', borderStyle: 'dashed', bgcolor: dragging ? 'action.hover' : undefined }}
      >
        <Typography color="text.secondary">{t('dropHint')}</Typography>
        <input
          ref={input}
          type="file"
          data-testid="file-input"
          accept=".csv,.txt,.tsv,.dat,.xlsx,.json,.zip"
          hidden
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void choose(f);
            e.target.value = '';
          }}
        />
      </Paper>}

      {previewError && <Alert severity="error">{previewError}</Alert>}
      {preview && staged && (
        <Paper variant="outlined" sx={{ p: 2 }} data-testid="import-preview">
          <Stack useFlexGap direction="row" spacing={1} sx={{ mb: 1, flexWrap: 'wrap' }}>
            <Typography variant="subtitle1" sx={{ mr: 2 }}>{staged.name}</Typography>
            <Chip size="small" label={`${t('detectedKind')}${marks.colon}${preview.kind ? kindName(preview.kind, lang) : '—'}`} color={preview.kind ? 'primary' : 'warning'} />
            {preview.format === 'text' ? (
              <TextField
                select
                size="small"
                label={t('encoding')}
                value={encoding ?? preview.encoding}
                sx={{ width: 130 }}
                slotProps={{ htmlInput: { 'data-testid': 'encoding-select' } }}
                onChange={(e) => {
                  const enc = e.target.value as 'utf-8' | 'gb18030' | 'gbk';
                  setEncoding(enc);
                  api.call('imports/preview', { path: staged.path, encoding: enc }).then(setPreview, (er: Error) => setPreviewError(er.message));
                }}
              >
                {(['utf-8', 'gb18030', 'gbk'] as const).map((x) => (
                  <MenuItem key={x} value={x}>{x}</MenuItem>
                ))}
              </TextField>
            ) : (
              <Chip size="small" label={`${t('encoding')}${marks.colon}${preview.encoding}`} />
            )}
            {preview.delimiter && <Chip size="small" label={`${t('delimiter')}${marks.colon}${preview.delimiter === '\t' ? 'Tab' : preview.delimiter}`} />}
            <Chip size="small" label={`${t('profile')}${marks.colon}${preview.profile ?? '—'}`} />
            <Chip size="small" label={`${t('headerLine')}${marks.colon}${preview.headerLine || '—'}`} />
          </Stack>
          {preview.notes?.map((n) => <Alert key={n} severity="info" sx={{ mb: 1 }} data-testid="preview-note">{n}</Alert>)}
          <Box sx={{ overflowX: 'auto', maxHeight: 220, mb: 1 }}>
            <table style={{ borderCollapse: 'collapse', fontSize: 12 }}>
              <thead>
                <tr>{preview.header.map((h, i) => <th key={i} style={{ border: '1px solid #ddd', padding: '2px 6px', background: '#f5f5f5', whiteSpace: 'nowrap' }}>{h}</th>)}</tr>
              </thead>
              <tbody>
                {preview.rows.slice(0, 8).map((r, i) => (
                  <tr key={i}>{r.map((c, j) => <td key={j} style={{ border: '1px solid #eee', padding: '2px 6px', whiteSpace: 'nowrap' }}>{c}</td>)}</tr>
                ))}
              </tbody>
            </table>
          </Box>
          {(!preview.profile || preview.missing.length > 0) && (
            <ProfileMapper
              preview={preview}
              onSaved={(profile) => void job.start({ path: staged.path, displayName: staged.name, acceptPartial, profile, ...(encoding ? { encoding } : {}) })}
            />
          )}
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <Button variant="contained" data-testid="import-button" disabled={job.running || !preview.profile} onClick={() => void job.start({ path: staged.path, displayName: staged.name, acceptPartial, ...(encoding ? { encoding } : {}) })}>
              {t('importNow')}
            </Button>
            <FormControlLabel control={<Checkbox checked={acceptPartial} onChange={(e) => setAcceptPartial(e.target.checked)} />} label={t('acceptPartial')} />
          </Stack>
        </Paper>
      )}
      {job.running && <JobProgressBar label={t('importing')} progress={job.progress} onCancel={() => void job.cancel()} />}
      {job.result && (
        <Alert severity={job.result.rejected ? 'warning' : 'success'} data-testid="import-result">
          {t('imported')} {count(job.result.rows)} {t('rows')}
          {paren(`#${job.result.batchId}`)}
          {job.result.totalCheck ? ` · ${t('total')} ¥${formatAmountText(job.result.totalCheck.stated)} ${job.result.totalCheck.ok ? '✓' : '≠ ¥' + formatAmountText(job.result.totalCheck.computed)}` : ''}
          {job.result.rejectedFile ? ` · ${count(job.result.rejected)} → ${job.result.rejectedFile}` : ''}
          {job.result.parts && (
            <Box component="ul" sx={{ m: 0, pl: 2 }} data-testid="import-parts">
              {job.result.parts.map((p) => (
                <li key={p.batchId}>
                  {p.file}
                  {marks.colon}
                  {kindName(p.kind, lang)} {count(p.rows)} {t('rows')}
                  {paren(`#${p.batchId}`)}
                </li>
              ))}
            </Box>
          )}
          {job.result.notes?.map((n) => <div key={n}>{n}</div>)}
        </Alert>
      )}
      {job.error && <Alert severity="error" data-testid="import-error">{job.error}</Alert>}
      {problems.length > 0 && (
        // Its own height, never shrunk by the page's column (the batch list below takes the rest): a squeezed grid showed half its header.
        <Box sx={{ height: 240, flexShrink: 0, display: 'flex', flexDirection: 'column' }} data-testid="import-problems">
          <Typography variant="subtitle2">{t('problems')}</Typography>
          <Box sx={{ flex: 1, minHeight: 0 }}>
            <DataGrid rowData={problems} columnDefs={problemCols} />
          </Box>
        </Box>
      )}
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
        <Typography variant="h6">{t('batches')}</Typography>
        <ProfileExchange key={batches.length} />
      </Stack>
      {source && (
        <Alert severity={source.ok ? 'success' : 'error'} data-testid="source-result" onClose={() => setSource(null)}>
          {source.text} {source.download && downloadUrl(source.download) !== '#' && <a href={downloadUrl(source.download)} download>{source.download}</a>}
        </Alert>
      )}
      <Box sx={{ flex: 1, minHeight: 420 }} data-testid="batch-grid">
        <DataGrid rowData={batches} columnDefs={batchCols} overlayNoRowsTemplate={`<span>${t('noBatches')}</span>`} getRowId={(p) => String(p.data.id)} />
      </Box>
    </Stack>
  );
}
