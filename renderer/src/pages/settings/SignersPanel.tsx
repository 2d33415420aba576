// 受信任签章人: every key the workstation trusts, whose it is, its roles, who added
// it and whether it was revoked. Administrators revoke a key (with a reason),
// export the list as a trust file signed with their own key, and import one.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Paper, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { TrustedSignerInfo } from '../../../../shared/clearing-types';
import { api, downloadUrl, fileForEngine } from '../../api/client';
import { RoleChips } from '../../components/RoleChips';
import { FileButton } from '../../components/FileButton';
import { useI18n } from '../../i18n/i18n';

export function SignersPanel({ isAdmin }: { isAdmin: boolean }) {
  const { t, marks, paren } = useI18n();
  const [signers, setSigners] = useState<TrustedSignerInfo[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string; link?: string } | null>(null);
  const load = useCallback(() => {
    api.call('signers/list', {}).then(setSigners, (e: Error) => setMessage({ ok: false, text: e.message }));
  }, []);
  useEffect(load, [load]);
  const act = (work: () => Promise<{ text: string; link?: string }>) =>
    work().then(
      (r) => {
        setMessage({ ok: true, ...r });
        load();
      },
      (e: Error) => setMessage({ ok: false, text: e.message }),
    );
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Typography variant="h6" gutterBottom>{t('signers')}</Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>{t('signersHint')}</Typography>
      <Table size="small" data-testid="signer-table">
        <TableHead>
          <TableRow>
            <TableCell>{t('signer')}</TableCell>
            <TableCell>{t('roles')}</TableCell>
            <TableCell>{t('fingerprint')}</TableCell>
            <TableCell>{t('signerAdded')}</TableCell>
            <TableCell>{t('signerStatus')}</TableCell>
            {isAdmin && <TableCell />}
          </TableRow>
        </TableHead>
        <TableBody>
          {signers.map((s) => (
            <TableRow key={s.fingerprint} sx={s.revokedAt ? { color: 'text.disabled' } : undefined}>
              <TableCell>
                {s.displayName}
                {paren(s.person)}
              </TableCell>
              <TableCell><RoleChips roles={s.roles} light={false} /></TableCell>
              <TableCell sx={{ fontFamily: 'monospace', fontSize: 11 }}>{s.fingerprint}</TableCell>
              <TableCell>{s.addedAt.slice(0, 16).replace('T', ' ')} · {s.addedBy}</TableCell>
              <TableCell>{s.revokedAt ? `${t('revoked')} ${s.revokedAt.slice(0, 10)}${marks.colon}${s.revokeReason ?? ''}` : t('valid')}</TableCell>
              {isAdmin && (
                <TableCell>
                  {!s.revokedAt && (
                    <Button size="small" color="warning" data-testid={`revoke-${s.person}`} onClick={() => {
                      const reason = window.prompt(t('revokeReason'));
                      if (reason) void act(async () => (await api.call('signers/revoke', { fingerprint: s.fingerprint, reason }), { text: `${t('revoked')}${marks.colon}${s.person}` }));
                    }}>
                      {t('revoke')}
                    </Button>
                  )}
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {isAdmin && (
        <Stack direction="row" spacing={1} sx={{ mt: 2, alignItems: 'center' }}>
          <Button variant="outlined" data-testid="export-trust" onClick={() => {
            const password = window.prompt(t('trustExportPassword'));
            if (password) void act(async () => {
              const r = await api.call('signers/export', { password });
              return { text: `${t('trustExported')}${marks.colon}${r.signers}`, link: r.download };
            });
          }}>
            {t('exportTrust')}
          </Button>
          <FileButton accept=".json" testId="import-trust" onFile={(f) => void act(async () => {
            const r = await api.call('signers/import', { path: await fileForEngine(f) });
            return { text: `${t('trustImported')}${marks.colon}+${r.added}${marks.comma}${t('revoked')} ${r.revoked}${marks.comma}= ${r.unchanged}` };
          })}>
            {t('importTrust')}
          </FileButton>
        </Stack>
      )}
      {message && (
        <Alert severity={message.ok ? 'success' : 'error'} sx={{ mt: 1 }} data-testid="signers-message">
          {message.text} {message.link && downloadUrl(message.link) !== '#' && <a href={downloadUrl(message.link)} download>{message.link}</a>}
        </Alert>
      )}
    </Paper>
  );
}
