// The detail panel: the ledger record(s) and the other side's record side by side,
// field by field with the differing fields marked, each record's origin (file,
// line) and raw row, the break's history, and the actions on it.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Box, Button, Chip, Divider, IconButton, Stack, Table, TableBody, TableCell, TableRow, TextField, Typography } from '@mui/material';
import type { BreakDetail, SourceRecord } from '../../../../shared/recon-types';
import { ONE_SIDED_FIELDS, breakEventLabel, codeLabel, fieldLabel, fieldValueLabel, type Lang } from '../../../../shared/labels';
import { formatAmountText, formatYuan } from '../../../../shared/money';
import { beijingText } from '../../../../shared/beijing-time';
import { KINDS } from '../../../../shared/import-kinds';
import { DISPOSITIONS, DISPOSITION_KEYS, dispositionLabel, type Disposition } from '../../../../shared/break-work';
import { api } from '../../api/client';
import { showCallError } from '../../api/call-errors';
import { useI18n } from '../../i18n/i18n';
import { useMe } from '../../auth/AuthGate';

const KEY_OF = Object.fromEntries(Object.entries(DISPOSITION_KEYS).map(([k, v]) => [v, k])) as Record<Disposition, string>;

/** Canonical fields on either side that are the compared ones (the break's `fields` names). */
const COMPARED_AS: Record<string, string> = {
  amount: 'amount',
  acct_mulaid_pay: 'amount',
  beneficiary_certno: 'certno',
  certno: 'certno',
  insutype: 'insutype',
  pay_year: 'pay_year',
  status: 'status',
  tax_voucher_no: 'tax_voucher_no',
};

function RecordTable({ rec, side, differing }: { rec: SourceRecord; side: 'ledger' | 'external'; differing: Set<string> }) {
  const { t, lang, marks, lineNo } = useI18n();
  const kind = KINDS[rec.kind];
  // The kind's field names, in Chinese as its files name them, in either language: an officer reads them against the file.
  const label = (f: string) => kind?.fields[f]?.label ?? fieldLabel(f, lang);
  // Stored forms for people: amounts are integer fen, statuses canonical codes.
  const show = (f: string, v: unknown) => {
    if (v === null || v === undefined) return '';
    const type = kind?.fields[f]?.type;
    if (type === 'amount' && typeof v === 'number') return formatYuan(v);
    if (f === 'status' && typeof v === 'string') return fieldValueLabel('status', v, lang);
    if (typeof v === 'string') return codeLabel(type, v);
    return String(v);
  };
  return (
    <Box data-testid={`record-${side}`} sx={{ mb: 1 }}>
      <Typography variant="caption" color="text.secondary">
        {rec.file} · {lineNo(rec.line)}
      </Typography>
      <Table size="small">
        <TableBody>
          {Object.entries(rec.norm).map(([f, v]) => {
            const differs = differing.has(COMPARED_AS[f] ?? '');
            return (
              <TableRow key={f} sx={differs ? { bgcolor: '#ffebee' } : undefined} data-differs={differs ? 'true' : undefined}>
                <TableCell sx={{ color: 'text.secondary', width: 120, py: 0.25 }}>{label(f)}</TableCell>
                <TableCell sx={{ py: 0.25, fontFamily: 'monospace' }}>{show(f, v)}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.5, wordBreak: 'break-all' }} data-testid={`raw-${side}`}>
        {t('rawRow')}{marks.colon}{rec.raw.join(' | ')}
      </Typography>
    </Box>
  );
}

/**
 * The other side's one-sided breaks of the same person and amount (counterparts.ts):
 * each opens in this panel, or both are disposed of together with a note naming the pair.
 */
function Counterparts({ d, canWork, onOpen, onDisposePair }: { d: BreakDetail; canWork: boolean; onOpen(id: number): void; onDisposePair(other: number, note: string): void }) {
  const { t, breakLabel, marks } = useI18n();
  if (d.counterparts.length === 0) return null;
  return (
    <Alert severity="info" icon={false} sx={{ mt: 1, '& .MuiAlert-message': { width: '100%' } }} data-testid="detail-counterparts">
      <Typography variant="subtitle2">{t('counterparts')}</Typography>
      <Typography variant="caption" color="text.secondary" component="div">{t('counterpartsHint')}</Typography>
      {d.counterparts.map((c) => (
        <Stack key={c.id} useFlexGap direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', borderTop: 1, borderColor: 'divider', mt: 0.5, pt: 0.5 }} data-testid={`counterpart-${c.id}`}>
          <Chip size="small" variant="outlined" label={breakLabel(c.type)} />
          <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>{c.key}</Typography>
          <Typography variant="body2">¥{formatAmountText(c.amount_ledger ?? c.amount_external)}</Typography>
          {/* The record's own time, as its file wrote it (not a UTC instant); a date alone without its midnight. */}
          <Typography variant="body2" color="text.secondary">{c.event_at ? c.event_at.replace(/ 00:00:00$/, '').slice(0, 16) : ''}</Typography>
          <Typography variant="body2" color="text.secondary">{c.opened_period}</Typography>
          <Box sx={{ flex: 1 }} />
          <Button size="small" data-testid={`counterpart-open-${c.id}`} onClick={() => onOpen(c.id)}>{t('openBreak')}</Button>
          {canWork && !c.pending && (
            <Button size="small" variant="outlined" data-testid={`counterpart-both-${c.id}`} onClick={() => onDisposePair(c.id, `${t('pairNote')}${marks.colon}${d.row.key} ↔ ${c.key}`)}>
              {t('disposeBoth')}
            </Button>
          )}
        </Stack>
      ))}
    </Alert>
  );
}

/** What a history entry says: a comment's text, or a disposition's reason and the officer's note with it. */
function historyText(d: Record<string, unknown>, lang: Lang): string {
  if ('text' in d) return String(d.text);
  if (!('reason' in d)) return '';
  const note = typeof d.note === 'string' ? d.note.trim() : '';
  return note ? `${dispositionLabel(String(d.reason), lang)} · ${note}` : dispositionLabel(String(d.reason), lang);
}

export function BreakDetailPanel(props: { id: number; onClose(): void; onChanged(): void; onDispose(reason: Disposition): void; onOpen(id: number): void; onDisposePair(other: number, note: string): void }) {
  const { id, onClose, onChanged, onDispose } = props;
  const { t, breakLabel, lang, marks, paren } = useI18n();
  const me = useMe();
  const [d, setD] = useState<BreakDetail | null>(null);
  const [comment, setComment] = useState('');
  const [revealed, setRevealed] = useState<{ certno: string | null; name: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api.call('breaks/detail', { id }).then(setD, (e: Error) => setError(e.message));
  }, [id]);
  useEffect(() => {
    setRevealed(null);
    load();
  }, [load]);
  if (!d) return error ? <Alert severity="error">{error}</Alert> : null;
  const differing = new Set(d.row.fields.map((f) => f.field));
  const canWork = me.roles.includes('officer') && d.row.status === 'open' && !d.row.pending;
  const mayReveal = me.roles.some((r) => r === 'officer' || r === 'finance' || r === 'auditor');
  return (
    <Box sx={{ p: 2, width: 640, overflowY: 'auto' }} data-testid="break-detail">
      <Stack direction="row" sx={{ alignItems: 'center', mb: 1 }} spacing={1}>
        <Chip label={breakLabel(d.row.type)} color="error" size="small" />
        <Typography variant="h6" sx={{ flex: 1 }}>
          {d.row.key}
        </Typography>
        <IconButton onClick={onClose} aria-label="close" data-testid="detail-close">
          ×
        </IconButton>
      </Stack>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="body2" data-testid="detail-person">
          {revealed ? `${revealed.certno ?? ''} ${revealed.name ?? ''}` : `${d.row.certno ?? ''} ${d.row.name ?? ''}`}
        </Typography>
        {mayReveal && !revealed && (
          <Button size="small" data-testid="reveal" onClick={() => api.call('pii/reveal', { breakId: id }).then(setRevealed, showCallError)}>
            {t('reveal')}
          </Button>
        )}
      </Stack>
      {d.row.fields.length > 0 && (
        <Alert severity="warning" sx={{ mb: 1 }} data-testid="detail-diffs">
          {d.row.fields.map((f) => (
            <div key={f.field} data-testid={`diff-${f.field}`}>
              {fieldLabel(f.field, lang)}
              {marks.colon}
              {ONE_SIDED_FIELDS.has(f.field) ? <b>{f.external}</b> : <>{t('ledgerSide')} <b>{f.ledger === null ? '—' : fieldValueLabel(f.field, f.ledger, lang)}</b> → {t('externalSide')} <b>{f.external === null ? '—' : fieldValueLabel(f.field, f.external, lang)}</b></>}
            </div>
          ))}
        </Alert>
      )}
      {d.row.pending && (
        <Alert severity="info" sx={{ mb: 1 }}>
          {t('pendingWriteoff')}
          {paren(d.row.pending_by ?? '')}
        </Alert>
      )}
      <Stack direction="row" spacing={2}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="subtitle2">{t('ledgerSide')}</Typography>
          {d.ledger.length ? d.ledger.map((r) => <RecordTable key={r.origin} rec={r} side="ledger" differing={differing} />) : <Typography color="text.secondary">{t('noRecord')}</Typography>}
        </Box>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="subtitle2">{t('externalSide')}</Typography>
          {d.external.length ? d.external.map((r) => <RecordTable key={r.origin} rec={r} side="external" differing={differing} />) : <Typography color="text.secondary">{t('noRecord')}</Typography>}
        </Box>
      </Stack>
      <Counterparts d={d} canWork={canWork} onOpen={props.onOpen} onDisposePair={props.onDisposePair} />
      <Divider sx={{ my: 1 }} />
      {canWork && (
        <Stack useFlexGap direction="row" spacing={1} sx={{ flexWrap: 'wrap', mb: 1 }}>
          {DISPOSITIONS.map((r) => (
            <Button key={r} size="small" variant="outlined" data-testid={`detail-dispose-${r}`} onClick={() => onDispose(r)}>
              {dispositionLabel(r, lang)}
              {paren(KEY_OF[r])}
            </Button>
          ))}
          <Button size="small" onClick={() => api.call('breaks/assign', { ids: [id], to: me.user }).then(() => { load(); onChanged(); }, showCallError)}>
            {t('assignToMe')}
          </Button>
        </Stack>
      )}
      <Stack
        direction="row"
        spacing={1}
        sx={{ mb: 1 }}
        component="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (comment.trim()) api.call('breaks/comment', { id, text: comment }).then(() => { setComment(''); load(); }, showCallError);
        }}
      >
        <TextField size="small" fullWidth label={t('comment')} value={comment} onChange={(e) => setComment(e.target.value)} />
        <Button type="submit">{t('confirm')}</Button>
      </Stack>
      <Typography variant="subtitle2">{t('history')}</Typography>
      <Table size="small" data-testid="detail-history">
        <TableBody>
          {d.history.map((h, i) => (
            <TableRow key={i}>
              <TableCell sx={{ py: 0.25, whiteSpace: 'nowrap' }}>{beijingText(h.at)}</TableCell>
              <TableCell sx={{ py: 0.25 }}>{h.actor}</TableCell>
              <TableCell sx={{ py: 0.25 }}>{breakEventLabel(h.action, lang)}</TableCell>
              <TableCell sx={{ py: 0.25 }} data-testid="history-detail">{historyText(h.detail, lang)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
