// 对账: run a period's reconciliation as a job and read its summary — match rate,
// each side's totals, the breaks by type, and the tie-out.
import { periodProblem } from '../../../shared/periods';
import { useEffect, useState } from 'react';
import { useCall } from '../api/use-call';
import { Alert, Box, Button, Card, CardContent, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { ReconKind } from '../../../shared/domain';
import type { ReconSummary } from '../../../shared/recon-types';
import { Dashboard } from './recon/Dashboard';
import { RunSources } from './recon/RunSources';
import { formatAmountText } from '../../../shared/money';
import { matchRate } from '../../../shared/match-rate';
import { useJob } from '../api/use-job';
import { JobProgressBar } from '../components/JobProgressBar';
import { KindPeriodPicker, defaultPeriod } from '../components/PeriodPicker';
import { useLatestPeriod } from '../components/latest-period';
import { useI18n } from '../i18n/i18n';
import { useCan } from '../auth/use-can';
import { Gated } from '../components/Gated';


function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Card variant="outlined" sx={{ minWidth: 180 }}>
      <CardContent>
        <Typography variant="caption" color="text.secondary">{label}</Typography>
        <Typography variant="h5" data-testid={testId}>{value}</Typography>
      </CardContent>
    </Card>
  );
}

export function ReconPage() {
  const { t, breakLabel, marks, paren } = useI18n();
  const [kind, setKind] = useState<ReconKind>('premium');
  const [period, setPeriod] = useState(() => defaultPeriod('premium'));
  const periodTouched = useLatestPeriod(kind, defaultPeriod(kind), setPeriod);
  const job = useJob('reconcile');
  const mayRun = useCan()({ job: 'reconcile' });
  // A period without a run yet answers with a refusal: that is "no run", not an error to show.
  // One check of the period for the dashboard and the run: the engine's own (a month 2025-47 fits the pattern, not the calendar).
  const periodOk = periodProblem(period) === null;
  const { data: dash, reload } = useCall('recon/dashboard', periodOk ? { kind, period } : null, { onError: () => undefined });
  const summary: ReconSummary | null = dash?.summary ?? null;
  useEffect(() => {
    if (job.result) reload();
  }, [job.result, reload]);

  const rate = summary ? matchRate(summary) : null;

  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <KindPeriodPicker kind={kind} period={period} onKind={(k) => { setKind(k); setPeriod(defaultPeriod(k)); }} onPeriod={setPeriod} onPeriodFocus={periodTouched} />
        <Gated can={mayRun}>
          <Button variant="contained" data-testid="run-recon" disabled={job.running || !mayRun.ok || !periodOk} onClick={() => void job.start({ kind, period })}>{t('runRecon')}</Button>
        </Gated>
      </Stack>
      {job.running && <JobProgressBar label={t('reconciling')} progress={job.progress} onCancel={() => void job.cancel()} />}
      {job.error && <Alert severity="error">{job.error}</Alert>}
      {!summary && !job.running && <Typography color="text.secondary">{t('noRun')}</Typography>}
      {summary && (
        <Box data-testid="recon-summary">
          <Stack useFlexGap direction="row" spacing={2} sx={{ mb: 2, flexWrap: 'wrap' }}>
            <Stat label={t('matchRate')} value={rate === null ? '—' : `${rate.toFixed(2)}%`} testId="match-rate" />
            <Stat label={t('matched')} value={summary.matched.count.toLocaleString('zh-CN')} testId="matched-count" />
            <Stat label={t('ledgerTotal')} value={formatAmountText(summary.ledger.total)} />
            <Stat label={t('externalTotal')} value={formatAmountText(summary.external.total)} />
            <Stat label={t('tieOut')} value={summary.tieOut.ok ? t('tieOk') : `${t('tieBad')} ${summary.tieOut.ledger}/${summary.tieOut.external}`} testId="tie-out" />
          </Stack>
          {(summary.notCounted ?? []).map((n) => (
            <Alert key={n.reason} severity="info" sx={{ mb: 1, maxWidth: 720 }} data-testid="not-counted">
              {t('notCounted')}
              {marks.colon}
              {n.rows} {t('rowsUnit')}
              {paren(n.reason)}
            </Alert>
          ))}
          <Table size="small" sx={{ maxWidth: 720 }} data-testid="recon-break-table">
            <TableHead>
              <TableRow>
                <TableCell>{t('breakType')}</TableCell>
                <TableCell align="right">{t('count')}</TableCell>
                <TableCell align="right">{t('amountLedger')}</TableCell>
                <TableCell align="right">{t('amountExternal')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {summary.breaks.map((b) => (
                <TableRow key={b.type} data-testid={`break-total-${b.type}`}>
                  <TableCell>{breakLabel(b.type)}</TableCell>
                  <TableCell align="right">{b.count.toLocaleString('zh-CN')}</TableCell>
                  <TableCell align="right">{formatAmountText(b.amountLedger)}</TableCell>
                  <TableCell align="right">{formatAmountText(b.amountExternal)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <RunSources summary={summary} />
        </Box>
      )}
      {dash && summary && <Dashboard data={dash} />}
    </Stack>
  );
}
