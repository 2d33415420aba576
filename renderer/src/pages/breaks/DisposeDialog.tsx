import { useEffect, useState } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { DISPOSITIONS, dispositionHint, dispositionLabel, type Disposition } from '../../../../shared/break-work';
import { useI18n } from '../../i18n/i18n';

/** Reason and note for one or many breaks; Enter confirms, so a single key plus Enter disposes. `note`: the note it starts with. */
export function DisposeDialog(props: { open: boolean; count: number; reason: Disposition; note?: string; onClose(): void; onConfirm(reason: Disposition, note: string): void }) {
  const { t, lang, paren } = useI18n();
  const [reason, setReason] = useState<Disposition>(props.reason);
  const [note, setNote] = useState('');
  useEffect(() => {
    if (props.open) {
      setReason(props.reason);
      setNote(props.note ?? '');
    }
  }, [props.open, props.reason, props.note]);
  return (
    <Dialog open={props.open} onClose={props.onClose} data-testid="dispose-dialog" fullWidth maxWidth="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          props.onConfirm(reason, note);
        }}
      >
        <DialogTitle>
          {t('disposeTitle')}
          {paren(props.count)}
        </DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ mt: 1 }}>
            <TextField select label={t('dispose')} value={reason} onChange={(e) => setReason(e.target.value as Disposition)} slotProps={{ htmlInput: { 'data-testid': 'dispose-reason' } }}>
              {DISPOSITIONS.map((r) => (
                <MenuItem key={r} value={r}>
                  {lang === 'en' ? `${dispositionLabel(r, lang)} · ${r}` : r}
                </MenuItem>
              ))}
            </TextField>
            <Typography variant="body2" color="text.secondary">
              {dispositionHint(reason, lang)}
            </Typography>
            <TextField autoFocus label={t('note')} value={note} onChange={(e) => setNote(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'dispose-note' } }} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose}>{t('cancel')}</Button>
          <Button type="submit" variant="contained" data-testid="dispose-confirm">
            {t('confirm')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
