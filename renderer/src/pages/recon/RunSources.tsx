// Where every row of every batch a run used went: dated in this period (in the
// totals above), in other periods (counted when those are reconciled), or placed
// in none. And, for settlements, what the platform's 3202 results said.
import { Alert, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { ReconSummary } from '../../../../shared/recon-types';
import { useI18n } from '../../i18n/i18n';

export function RunSources({ summary }: { summary: ReconSummary }) {
  const { t } = useI18n();
  const p = summary.platform;
  return (
    <>
      {p && p.rows > 0 && (
        <Alert severity={p.flagged ? 'warning' : 'info'} sx={{ mb: 1, maxWidth: 720 }} data-testid="platform-verdicts">
          {t('platformVerdicts')}：{p.keys} {t('settlementsUnit')}；{t('platformFlagged')} {p.flagged}，{t('platformAnnotated')} {p.annotated}
        </Alert>
      )}
      {summary.sources && summary.sources.length > 0 && (
        <>
          <Typography variant="subtitle2" sx={{ mt: 1 }}>{t('runSources')}</Typography>
          <Table size="small" sx={{ maxWidth: 900, mb: 2 }} data-testid="run-sources">
            <TableHead>
              <TableRow>
                <TableCell>{t('batch')}</TableCell>
                <TableCell>{t('side')}</TableCell>
                <TableCell align="right">{t('batchRows')}</TableCell>
                <TableCell align="right">{t('inPeriodRows')}</TableCell>
                <TableCell align="right">{t('otherPeriodRows')}</TableCell>
                <TableCell align="right">{t('unplacedRows')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {summary.sources.map((s) => (
                <TableRow key={s.batchId}>
                  <TableCell>#{s.batchId} {s.file}</TableCell>
                  <TableCell>{s.side === 'ledger' ? t('ledgerSide') : t('externalSide')}</TableCell>
                  <TableCell align="right">{s.rows.toLocaleString('zh-CN')}</TableCell>
                  <TableCell align="right">{s.inPeriod.toLocaleString('zh-CN')}</TableCell>
                  <TableCell align="right">{s.otherPeriods.toLocaleString('zh-CN')}</TableCell>
                  <TableCell align="right" sx={{ color: s.unplaced ? 'error.main' : undefined }}>{s.unplaced.toLocaleString('zh-CN')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </>
  );
}
