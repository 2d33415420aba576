// When a file's header fits no profile: pick the kind, map each canonical field to
// one of the file's columns, name the mapping and save it as a profile — then the
// import uses it. Profiles are exported and imported as JSON files.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Box, Button, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { IMPORT_KINDS, type ImportKind } from '../../../../shared/domain';
import { KINDS, kindName } from '../../../../shared/import-kinds';
import type { ColumnProfileInfo, ImportPreview } from '../../../../shared/import-types';
import { api } from '../../api/client';
import { showCallError } from '../../api/call-errors';
import { useI18n } from '../../i18n/i18n';
import { FileButton } from '../../components/FileButton';

export function ProfileMapper({ preview, onSaved }: { preview: ImportPreview; onSaved(profile: string): void }) {
  const { t, lang } = useI18n();
  const [kind, setKind] = useState<ImportKind>(preview.kind ?? 'tax-premium');
  const [map, setMap] = useState<Record<string, string>>(preview.mapping);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setMap(preview.mapping), [preview]);
  const spec = KINDS[kind];
  const required = new Set(spec.required);

  const save = async () => {
    setError(null);
    const fields = Object.fromEntries(Object.entries(map).filter(([f, h]) => h && f in spec.fields).map(([f, h]) => [f, [h]]));
    try {
      const p = await api.call('profiles/save', { profile: { name: name.trim(), kind, fields } });
      onSaved(p.name);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <Box data-testid="profile-mapper" sx={{ mt: 1 }}>
      <Typography variant="subtitle2" gutterBottom>
        {t('mapColumns')}
      </Typography>
      <Stack direction="row" spacing={1} sx={{ mb: 1, alignItems: 'center' }}>
        <TextField select size="small" label={t('colKind')} value={kind} onChange={(e) => setKind(e.target.value as ImportKind)} sx={{ width: 260 }} slotProps={{ htmlInput: { 'data-testid': 'mapper-kind' } }}>
          {IMPORT_KINDS.map((k) => (
            <MenuItem key={k} value={k}>
              {kindName(k, lang)}
            </MenuItem>
          ))}
        </TextField>
        <TextField size="small" label={t('profileName')} value={name} onChange={(e) => setName(e.target.value)} sx={{ width: 260 }} slotProps={{ htmlInput: { 'data-testid': 'mapper-name' } }} />
        <Button variant="contained" disabled={!name.trim()} onClick={() => void save()} data-testid="mapper-save">
          {t('saveProfileAndImport')}
        </Button>
      </Stack>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: 1 }}>
        {Object.entries(spec.fields).map(([f, fs]) => (
          <TextField
            key={f}
            select
            size="small"
            label={`${fs.label}${required.has(f) ? ' *' : ''}`}
            value={map[f] ?? ''}
            onChange={(e) => setMap((m) => ({ ...m, [f]: e.target.value }))}
            slotProps={{ htmlInput: { 'data-testid': `mapper-field-${f}` } }}
          >
            <MenuItem value="">—</MenuItem>
            {preview.header.map((h, i) => (
              <MenuItem key={i} value={h}>
                {h}
              </MenuItem>
            ))}
          </TextField>
        ))}
      </Box>
      {error && (
        <Alert severity="error" sx={{ mt: 1 }} data-testid="mapper-error">
          {error}
        </Alert>
      )}
    </Box>
  );
}

/** Saved profiles out as one JSON file, and back in from one. */
export function ProfileExchange() {
  const { t, marks, paren } = useI18n();
  const [profiles, setProfiles] = useState<ColumnProfileInfo[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const load = () => {
    api.call('profiles/list', {}).then(setProfiles, showCallError);
  };
  useEffect(load, []);
  const saved = useMemo(() => profiles.filter((p) => !p.builtin), [profiles]);
  const href = useMemo(() => `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(saved, null, 2))}`, [saved]);
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <Typography variant="body2" color="text.secondary">
        {t('profiles')}
        {marks.colon}
        {profiles.length}
        {paren(`${t('saved')} ${saved.length}`)}
      </Typography>
      <Button size="small" href={href} download="列映射方案.json" disabled={!saved.length}>
        {t('exportJson')}
      </Button>
      <FileButton
        size="small"
        accept=".json"
        testId="profiles-import"
        onFile={async (f) => {
          try {
            const list = JSON.parse(await f.text()) as ColumnProfileInfo[];
            for (const p of Array.isArray(list) ? list : [list]) {
              const { builtin: _b, ...def } = p;
              await api.call('profiles/save', { profile: def });
            }
            setMessage(`${t('imported')} ${Array.isArray(list) ? list.length : 1}`);
            load();
          } catch (err) {
            setMessage((err as Error).message);
          }
        }}
      >
        {t('importJson')}
      </FileButton>
      {message && <Typography variant="body2">{message}</Typography>}
    </Stack>
  );
}
