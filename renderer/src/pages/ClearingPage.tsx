// 清算与报表: the month's deadlines, the 清算平衡表 (care net between regions,
// premiums in full), the user's signing key, preparing a statement (officer),
// confirming it (finance, never the preparer), and verifying any bundle (验证).
import { regionLabel } from '../../../shared/regions';
import { useCallback, useEffect, useState } from 'react';
import type React from 'react';
import { Alert, Box, Button, Chip, Paper, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import type { ClearingJson, Deadline, KeyStatus, StatementInfo, VerifyReport } from '../../../shared/clearing-types';
import { formatAmountText } from '../../../shared/money';
import { beijingText } from '../../../shared/beijing-time';
import { api, downloadUrl, fileForEngine } from '../api/client';
import { showCallError } from '../api/call-errors';
import { useMe } from '../auth/AuthGate';
import { useLatestPeriod } from '../components/latest-period';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { FileButton } from '../components/FileButton';
import { ConfirmDialog } from './clearing/ConfirmDialog';
import { useCall } from '../api/use-call';
import { PeriodField } from '../components/PeriodField';
import { defaultPeriod } from '../components/PeriodPicker';

/**
 * A signature's time as the bundle states it, shown in Beijing time: a time with its
 * offset (a signer elsewhere may write UTC) is converted; one without any is shown as written.
 */
function signedAtText(time: string | null | undefined): string {
  if (!time) return '';
  return /(Z|[+-]\d{2}:?\d{2})$/.test(time) && !Number.isNaN(Date.parse(time)) ? beijingText(time) : time.slice(0, 19).replace('T', ' ');
}

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid={testId}>
      <Typography variant="h6" gutterBottom>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}

/** `from` owes `to`. */
function PairsTable({ title, pairs }: { title: string; pairs: ClearingJson['premium']['pairs'] }) {
  return (
    <Box>
      <Typography variant="subtitle2">{title}</Typography>
      <Table size="small">
        <TableBody>
          {pairs.map((p) => (
            <TableRow key={`${p.from}-${p.to}`}>
              <TableCell>
                {regionLabel(p.from)} → {regionLabel(p.to)}
              </TableCell>
              <TableCell align="right">{formatAmountText(p.amount)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** A password for one purpose (each field has its own value and says what it unlocks). */
function PasswordField({ value, onChange, testId, label }: { value: string; onChange(v: string): void; testId: string; label: MessageKey }) {
  const { t } = useI18n();
  return <TextField size="small" type="password" label={t(label)} value={value} onChange={(e) => onChange(e.target.value)} slotProps={{ htmlInput: { 'data-testid': testId, autoComplete: 'current-password' } }} />;
}

export function VerifyReportView({ r }: { r: VerifyReport }) {
  const { t, marks, paren } = useI18n();
  return (
    <Box data-testid="verify-report">
      <Alert severity={r.ok ? 'success' : 'error'} sx={{ mb: 1 }} data-testid="verify-verdict">
        {r.ok ? `${t('verifyOk')}${marks.colon}${r.name}${paren(r.confirmed ? t('confirmed') : t('awaitingConfirm'))}` : `${t('verifyFailed')}${marks.colon}${r.problems.join(marks.semi)}`}
      </Alert>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>{t('file')}</TableCell>
            <TableCell align="right">{t('size')}</TableCell>
            <TableCell>SM3</TableCell>
            <TableCell>SHA-256</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {r.files.map((f) => (
            <TableRow key={f.name}>
              <TableCell>{f.name}</TableCell>
              <TableCell align="right">{f.size}</TableCell>
              <TableCell>{f.sm3Ok ? '✓' : '✗'}</TableCell>
              <TableCell>{f.sha256Ok ? '✓' : '✗'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Table size="small" sx={{ mt: 1 }} data-testid="verify-signatures">
        <TableHead>
          <TableRow>
            <TableCell>{t('roles')}</TableCell>
            <TableCell>{t('signature')}</TableCell>
            <TableCell>{t('signer')}</TableCell>
            <TableCell>{t('colAt')}</TableCell>
            <TableCell>{t('fingerprint')}</TableCell>
            <TableCell>{t('signerTrust')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {r.signatures.map((s) => (
            <TableRow key={s.role} sx={s.ok ? undefined : { bgcolor: '#fdecea' }}>
              <TableCell>{s.label}</TableCell>
              <TableCell>{s.ok ? '✓' : '✗'}</TableCell>
              <TableCell>{s.displayName && s.displayName !== s.signer ? `${s.displayName}${paren(s.signer ?? '')}` : s.signer}</TableCell>
              <TableCell>{signedAtText(s.time)}</TableCell>
              <TableCell sx={{ fontFamily: 'monospace', fontSize: 11 }}>{s.fingerprint}</TableCell>
              <TableCell data-testid={`signer-trust-${s.role}`} sx={{ color: s.trusted ? 'success.main' : 'error.main' }}>{s.trust}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

export function ClearingPage() {
  const { t, lang, marks } = useI18n();
  const me = useMe();
  // Clearing is monthly, as settlement is: the last complete month, by the Beijing calendar.
  const [period, setPeriod] = useState(() => defaultPeriod('settlement'));
  const periodTouched = useLatestPeriod('settlement', defaultPeriod('settlement'), setPeriod);
  const [region, setRegion] = useState('330100');
  const [key, setKey] = useState<KeyStatus | null>(null);
  const [statements, setStatements] = useState<StatementInfo[]>([]);
  // One password per purpose: typing one never fills the others.
  const [keyPw, setKeyPw] = useState('');
  const [preparePw, setPreparePw] = useState('');
  const [confirmPw, setConfirmPw] = useState('');
  const [confirming, setConfirming] = useState<StatementInfo | null>(null);
  const [pem, setPem] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [verifyPath, setVerifyPath] = useState('');
  const [report, setReport] = useState<VerifyReport | null>(null);
  const valid = /^\d{4}-\d{2}$/.test(period);

  const load = useCallback(() => {
    api.call('keys/status', {}).then(setKey, showCallError);
    api.call('statements/list', {}).then(setStatements, showCallError);
  }, []);
  useEffect(load, [load]);
  // The month's deadlines and table: a reply for a month the user has already left is dropped (useCall).
  const deadlineCall = useCall('clearing/deadlines', valid ? { period } : null);
  const tableCall = useCall('clearing/compute', valid ? { period } : null, { onError: () => undefined });
  const deadlines: Deadline[] = deadlineCall.data ?? [];
  const table: ClearingJson | null = tableCall.data;
  const tableError = tableCall.error;
  const reloadMonth = () => {
    deadlineCall.reload();
    tableCall.reload();
  };

  const run = async (fn: () => Promise<string>) => {
    setMessage(null);
    try {
      setMessage({ ok: true, text: await fn() });
      setKeyPw('');
      setPreparePw('');
      setConfirmPw('');
      load();
      reloadMonth();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  const isOfficer = me.roles.includes('officer');
  const isFinance = me.roles.includes('finance');
  const stateColor = { done: 'success', pending: 'default', overdue: 'error' } as const;

  return (
    <Stack spacing={2} sx={{ maxWidth: 1200 }}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <PeriodField kind="settlement" value={period} onChange={setPeriod} onFocus={periodTouched} testId="clearing-period" />
        <TextField size="small" label={t('region')} value={region} onChange={(e) => setRegion(e.target.value.trim())} sx={{ width: 130 }} slotProps={{ htmlInput: { 'data-testid': 'clearing-region' } }} />
      </Stack>
      {message && (
        <Alert severity={message.ok ? 'success' : 'error'} onClose={() => setMessage(null)} data-testid="clearing-message">
          {message.text}
        </Alert>
      )}
      <Section title={t('deadlines')} testId="deadlines">
        <Stack useFlexGap direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
          {deadlines.map((d) => (
            <Chip key={d.key} color={stateColor[d.state]} variant={d.state === 'pending' ? 'outlined' : 'filled'} label={lang === 'en' ? `${d.en.label} · ${d.due} · ${d.en.note}` : `${d.label} · ${d.due} · ${d.note}`} />
          ))}
        </Stack>
      </Section>
      <Section title={t('balanceTable')} testId="balance-table">
        {tableError && <Alert severity="warning">{tableError}</Alert>}
        {table && (
          <Stack useFlexGap direction="row" spacing={3} sx={{ flexWrap: 'wrap' }}>
            <Box>
              <Typography variant="subtitle2">{t('careNet')}</Typography>
              <Table size="small">
                <TableHead>
                  <TableRow>
                    <TableCell>{t('region')}</TableCell>
                    <TableCell align="right">{t('receivable')}</TableCell>
                    <TableCell align="right">{t('payable')}</TableCell>
                    <TableCell align="right">{t('net')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {table.care.regions.map((r) => (
                    <TableRow key={r.region} selected={r.region === region}>
                      <TableCell>{regionLabel(r.region)}</TableCell>
                      <TableCell align="right">{formatAmountText(r.receivable)}</TableCell>
                      <TableCell align="right">{formatAmountText(r.payable)}</TableCell>
                      <TableCell align="right">{formatAmountText(r.net)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
            <PairsTable title={t('pairs')} pairs={table.care.pairs} />
            <PairsTable title={t('premiumFull')} pairs={table.premium.pairs} />
          </Stack>
        )}
      </Section>
      <Section title={t('signingKey')} testId="key-section">
        {key?.fingerprint ? (
          <Typography variant="body2" data-testid="key-fingerprint" sx={{ fontFamily: 'monospace' }}>
            {t('fingerprint')}
            {marks.colon}
            {key.fingerprint}
          </Typography>
        ) : (
          <Typography variant="body2" color="text.secondary">{t('noKey')}</Typography>
        )}
        {(isOfficer || isFinance) && (
          <Stack useFlexGap direction="row" spacing={1} sx={{ mt: 1, alignItems: 'center', flexWrap: 'wrap' }}>
            <PasswordField value={keyPw} onChange={setKeyPw} testId="key-password" label="passwordForKey" />
            <Button variant="outlined" data-testid="key-generate" onClick={() => void run(async () => `${t('keyCreated')} ${(await api.call('keys/generate', { password: keyPw })).fingerprint}`)}>
              {t('generateKey')}
            </Button>
            <TextField size="small" multiline maxRows={3} label="PEM" value={pem} onChange={(e) => setPem(e.target.value)} sx={{ width: 320 }} />
            <Button disabled={!pem.trim()} onClick={() => void run(async () => `${t('keyCreated')} ${(await api.call('keys/import', { pem, password: keyPw })).fingerprint}`)}>
              {t('importKey')}
            </Button>
          </Stack>
        )}
      </Section>
      <Section title={t('statements')} testId="statements">
        {isOfficer && (
          <Stack direction="row" spacing={1} sx={{ mb: 1, alignItems: 'center' }}>
            <PasswordField value={preparePw} onChange={setPreparePw} testId="prepare-password" label="passwordForPrepare" />
            <Button variant="contained" data-testid="prepare" disabled={!valid || !key?.fingerprint} onClick={() => void run(async () => `${t('prepared')}${marks.colon}${(await api.call('statements/prepare', { period, region, password: preparePw })).name}`)}>
              {t('prepare')}
            </Button>
            {/* Signing needs the officer's own key: say so beside the button, not after a refusal. */}
            {!key?.fingerprint && <Typography variant="body2" color="text.secondary" data-testid="prepare-needs-key">{t('needKeyFirst')}</Typography>}
          </Stack>
        )}
        <Table size="small" data-testid="statement-table">
          <TableHead>
            <TableRow>
              <TableCell>{t('statementName')}</TableCell>
              <TableCell>{t('preparedBy')}</TableCell>
              <TableCell>{t('confirmedBy')}</TableCell>
              <TableCell>{t('colStatus')}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {statements.length === 0 && (
              <TableRow>
                <TableCell colSpan={5} sx={{ color: 'text.secondary' }} data-testid="no-statements">{t('noStatements')}</TableCell>
              </TableRow>
            )}
            {statements.map((s) => (
              <TableRow key={s.id} data-testid={`statement-${s.id}`}>
                <TableCell>
                  <a href={downloadUrl(s.zip.split(/[\\/]/).pop()!)} download>{s.name}</a>
                </TableCell>
                <TableCell>{s.preparedBy}</TableCell>
                <TableCell>{s.confirmedBy ?? ''}</TableCell>
                <TableCell>{s.status === 'confirmed' ? t('confirmed') : t('awaitingConfirm')}</TableCell>
                <TableCell>
                  <Stack direction="row" spacing={1}>
                    <Button size="small" data-testid={`verify-${s.id}`} onClick={() => { setVerifyPath(s.zip); api.call('statements/verify', { path: s.zip }).then(setReport, (e: Error) => { setReport(null); setMessage({ ok: false, text: e.message }); }); }}>
                      {t('verify')}
                    </Button>
                    {isFinance && s.status === 'prepared' && (
                      <Button size="small" variant="outlined" data-testid={`confirm-${s.id}`} disabled={!confirmPw} title={confirmPw ? undefined : t('passwordForConfirm')} onClick={() => setConfirming(s)}>
                        {t('confirmStatement')}
                      </Button>
                    )}
                  </Stack>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {/* Finance's password for confirming, when a statement waits for it (and a key of their own to sign with). */}
        {isFinance && statements.some((s) => s.status === 'prepared') && (
          <Stack direction="row" spacing={1} sx={{ mt: 1, alignItems: 'center' }}>
            <PasswordField value={confirmPw} onChange={setConfirmPw} testId="confirm-password" label="passwordForConfirm" />
            {!key?.fingerprint && <Typography variant="body2" color="text.secondary" data-testid="confirm-needs-key">{t('needKeyFirst')}</Typography>}
          </Stack>
        )}
        <ConfirmDialog
          statement={confirming}
          onClose={() => setConfirming(null)}
          onConfirm={async (carry) => {
            const id = confirming!.id;
            setConfirming(null);
            await run(async () => `${t('confirmed')}${marks.colon}${(await api.call('statements/confirm', { id, password: confirmPw, ...(carry ? { carry } : {}) })).locked.join(marks.list)}`);
          }}
        />
      </Section>
      <Section title={t('verify')} testId="verify-section">
        <Stack direction="row" spacing={1} sx={{ mb: 1, alignItems: 'center' }}>
          <TextField size="small" label={t('bundlePath')} value={verifyPath} onChange={(e) => setVerifyPath(e.target.value)} sx={{ width: 520 }} slotProps={{ htmlInput: { 'data-testid': 'verify-path' } }} />
          <Button variant="outlined" data-testid="verify-run" onClick={() => api.call('statements/verify', { path: verifyPath }).then(setReport, (e: Error) => setMessage({ ok: false, text: e.message }))}>
            {t('verify')}
          </Button>
          <FileButton accept=".zip" testId="verify-file" onFile={(f) => void fileForEngine(f).then((p) => { setVerifyPath(p); return api.call('statements/verify', { path: p }); }).then(setReport, (e: Error) => setMessage({ ok: false, text: e.message }))}>
            {t('chooseFile')}
          </FileButton>
        </Stack>
        {report && <VerifyReportView r={report} />}
      </Section>
    </Stack>
  );
}
