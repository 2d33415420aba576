import { useEffect, useState } from 'react';
import { Paper, Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import type { WorkstationInfo } from '../../../shared/domain';
import { api } from '../api/client';
import { useI18n } from '../i18n/i18n';

export function SettingsPage() {
  const { t } = useI18n();
  const [info, setInfo] = useState<WorkstationInfo | null>(null);
  useEffect(() => {
    void api.call('workstation/info', {}).then(setInfo);
  }, []);
  return (
    <Paper variant="outlined" sx={{ p: 2, maxWidth: 720 }}>
      <Typography variant="h6" gutterBottom>{t('workstation')}</Typography>
      {info && (
        <Table size="small" data-testid="workstation-info">
          <TableBody>
            <TableRow><TableCell>{t('version')}</TableCell><TableCell>{info.product} {info.version}</TableCell></TableRow>
            <TableRow><TableCell>{t('database')}</TableCell><TableCell>{info.dbPath}</TableCell></TableRow>
            <TableRow><TableCell>{t('schema')}</TableCell><TableCell>{info.schemaVersion}</TableCell></TableRow>
            <TableRow><TableCell>{t('user')}</TableCell><TableCell>{info.user}</TableCell></TableRow>
            <TableRow><TableCell>{t('host')}</TableCell><TableCell>{info.host}</TableCell></TableRow>
          </TableBody>
        </Table>
      )}
    </Paper>
  );
}
