// 复核 for finance: before the month is locked, what is still open in the periods
// it will lock (write-offs waiting for approval, breaks not worked) is listed, and
// confirming then needs a reason to carry them on (recorded in the audit trail);
// the carried breaks are worked in the next open period.
import { useEffect, useState } from 'react';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import type { StatementInfo } from '../../../../shared/clearing-types';
import { BREAK_LABELS } from '../../../../shared/labels';
import { formatYuan } from '../../../../shared/money';
import type { BreakType } from '../../../../shared/domain';
import { useCall } from '../../api/use-call';
import { useI18n } from '../../i18n/i18n';

export function ConfirmDialog(props: { statement: StatementInfo | null; onClose(): void; onConfirm(carry: string | undefined): Promise<void> }) {
  const { t, marks, paren } = useI18n();
  const s = props.statement;
  const { data: pending, error } = useCall('statements/pending', s ? { period: s.period } : null, { onError: () => undefined });
  const [carry, setCarry] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => setCarry(''), [s]);
  const open = pending ? pending.writeOffs.length + pending.openBreaks.reduce((n, b) => n + b.count, 0) : 0;
  const kindLabel = (k: string) => (k === 'premium' ? t('kindPremium') : t('kindSettlement'));
  return (
    <Dialog open={!!s} onClose={props.onClose} maxWidth="md" fullWidth data-testid="confirm-dialog">
      <DialogTitle>
        {t('confirmStatement')}
        {marks.colon}
        {s?.name}
      </DialogTitle>
      <DialogContent>
        {error && <Alert severity="error">{error}</Alert>}
        {pending && (
          <>
            <Typography variant="body2" sx={{ mb: 1 }}>
              {t('willLock')}
              {marks.colon}
              {pending.periods.map((p) => p.split(':')[1]).join(marks.list)}
            </Typography>
            {open === 0 ? (
              <Alert severity="success" data-testid="nothing-pending">{t('nothingPending')}</Alert>
            ) : (
              <>
                <Alert severity="warning" sx={{ mb: 1 }} data-testid="pending-summary">{t('pendingBeforeLock')}</Alert>
                {pending.writeOffs.length > 0 && (
                  <Table size="small" sx={{ mb: 1 }} data-testid="pending-writeoffs">
                    <TableHead>
                      <TableRow>
                        <TableCell>{t('writeOffsWaiting')}</TableCell>
                        <TableCell>{t('breakType')}</TableCell>
                        <TableCell>{t('openedPeriod')}</TableCell>
                        <TableCell>{t('proposedBy')}</TableCell>
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {pending.writeOffs.map((w) => (
                        <TableRow key={w.id}>
                          <TableCell>{kindLabel(w.kind)} · {w.key}</TableCell>
                          <TableCell>{BREAK_LABELS[w.type as BreakType] ?? w.type}</TableCell>
                          <TableCell>{w.openedPeriod}</TableCell>
                          <TableCell>{w.proposedBy}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                )}
                {pending.openBreaks.filter((b) => b.count).map((b) => (
                  <Typography key={b.kind} variant="body2" data-testid={`pending-open-${b.kind}`}>
                    {kindLabel(b.kind)}
                    {marks.colon}
                    {t('openBreaksLeft')} {b.count}
                    {paren(`${t('amountLedger')} ¥${formatYuan(b.ledgerFen)}${marks.comma}${t('amountExternal')} ¥${formatYuan(b.externalFen)}`)}
                  </Typography>
                ))}
                <TextField
                  sx={{ mt: 2 }}
                  fullWidth
                  required
                  size="small"
                  label={t('carryReason')}
                  value={carry}
                  onChange={(e) => setCarry(e.target.value)}
                  slotProps={{ htmlInput: { 'data-testid': 'carry-reason', maxLength: 500 } }}
                />
              </>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{t('cancel')}</Button>
        <Button
          variant="contained"
          data-testid="confirm-go"
          disabled={!pending || busy || (open > 0 && !carry.trim())}
          title={open > 0 && !carry.trim() ? t('carryReasonNeeded') : undefined}
          onClick={() => {
            setBusy(true);
            props.onConfirm(open > 0 ? carry.trim() : undefined).finally(() => setBusy(false));
          }}
        >
          {open > 0 ? t('carryAndConfirm') : t('confirmStatement')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
