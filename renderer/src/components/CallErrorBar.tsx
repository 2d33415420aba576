// The shell's one place for a call that failed where the page has no message of
// its own: a red bar with the engine's words, until dismissed.
import { useEffect, useState } from 'react';
import { Alert, Snackbar } from '@mui/material';
import { onCallError } from '../api/call-errors';

export function CallErrorBar() {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => onCallError(setMessage), []);
  return (
    <Snackbar open={message !== null} anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }} onClose={(_e, reason) => reason !== 'clickaway' && setMessage(null)}>
      <Alert severity="error" variant="filled" onClose={() => setMessage(null)} data-testid="call-error">
        {message}
      </Alert>
    </Snackbar>
  );
}
