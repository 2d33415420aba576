// 审计: the trail, newest first, filtered by actor and action; the chain verified
// on demand; the view exported to XLSX with the chain's head hash.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Box, Button, Stack, Tab, Tabs, TextField, Typography } from '@mui/material';
import { PolicyPanel } from './audit/PolicyPanel';
import type { ColDef } from 'ag-grid-community';
import type { AuditPage as Page, AuditRow, ChainCheck } from '../../../shared/audit-types';
import { auditActionLabel, auditDetailSummary, auditTargetText } from '../../../shared/audit-labels';
import { beijingText } from '../../../shared/beijing-time';
import { api, downloadUrl } from '../api/client';
import { showCallError } from '../api/call-errors';
import { DataGrid } from '../grid/DataGrid';
import { useI18n } from '../i18n/i18n';

export function AuditPage() {
  const { t } = useI18n();
  const [tab, setTab] = useState<'trail' | 'policy'>('trail');
  return (
    <Stack sx={{ height: '100%' }}>
      <Tabs value={tab} onChange={(_e, v) => setTab(v)} sx={{ mb: 1 }}>
        <Tab value="trail" label={t('auditTrail')} data-testid="tab-trail" />
        <Tab value="policy" label={t('policyChecks')} data-testid="tab-policy" />
      </Tabs>
      <Box sx={{ flex: 1, minHeight: 0 }}>{tab === 'trail' ? <AuditTrail /> : <PolicyPanel />}</Box>
    </Stack>
  );
}

function AuditTrail() {
  const { t, lang, marks } = useI18n();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [page, setPage] = useState<Page | null>(null);
  const [check, setCheck] = useState<ChainCheck | null>(null);
  const [exported, setExported] = useState<{ download: string; path: string } | null>(null);
  const filter = useMemo(() => ({ ...(actor ? { actor } : {}), ...(action ? { action } : {}) }), [actor, action]);

  const load = useCallback(() => {
    api.call('audit/list', { ...filter, limit: 2000 }).then(setPage, showCallError);
  }, [filter]);
  useEffect(load, [load]);

  const cols = useMemo<ColDef<AuditRow>[]>(
    () => [
      { field: 'seq', headerName: t('colSeq'), width: 80, type: 'numericColumn' },
      { field: 'at', headerName: t('colAt'), width: 180, valueFormatter: (p) => beijingText(String(p.value)) },
      { field: 'actor', headerName: t('colActor'), width: 120 },
      { field: 'action', headerName: t('colAction'), width: 190, valueFormatter: (p) => auditActionLabel(String(p.value), lang), tooltipField: 'action' },
      { field: 'target', headerName: t('colTarget'), width: 180, valueFormatter: (p) => auditTargetText(p.value as string | null, lang), tooltipField: 'target' },
      // A readable summary; the entry's JSON as written (what the chain hashes) on hover.
      { field: 'detail', headerName: t('colDetail'), flex: 1, minWidth: 300, valueFormatter: (p) => auditDetailSummary(String(p.value), lang), tooltipField: 'detail' },
      { field: 'hash', headerName: 'SHA-256', width: 160, valueFormatter: (p) => String(p.value).slice(0, 16) + '…' },
    ],
    [t, lang],
  );

  return (
    <Stack spacing={2} sx={{ height: '100%' }}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <TextField size="small" label={t('filterActor')} value={actor} onChange={(e) => setActor(e.target.value.trim())} />
        <TextField size="small" label={t('filterAction')} value={action} onChange={(e) => setAction(e.target.value.trim())} />
        <Button variant="outlined" data-testid="audit-verify" onClick={() => api.call('audit/verify', {}).then(setCheck, showCallError)}>{t('auditVerify')}</Button>
        <Button variant="outlined" data-testid="audit-export" onClick={() => api.call('audit/export', filter).then((r) => { setExported(r); load(); }, showCallError)}>XLSX</Button>
        <Typography variant="body2" color="text.secondary">{page ? `${page.total}` : ''}</Typography>
      </Stack>
      {check && (
        <Alert severity={check.ok ? 'success' : 'error'} data-testid="audit-check">
          {check.ok ? `${t('chainOk')}${marks.colon}${check.entries} · ${t('head')} ${check.head}` : `${t('chainBroken')}${marks.colon}${check.reason}`}
        </Alert>
      )}
      {exported && (
        <Alert severity="info" data-testid="audit-exported">
          <a href={downloadUrl(exported.download)} download>{exported.download}</a> · {exported.path}
        </Alert>
      )}
      <Box sx={{ flex: 1, minHeight: 300 }} data-testid="audit-grid">
        <DataGrid<AuditRow> rowData={page?.rows ?? []} columnDefs={cols} getRowId={(p) => String(p.data.seq)} />
      </Box>
    </Stack>
  );
}
