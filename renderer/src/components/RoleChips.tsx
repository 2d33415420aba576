import { Chip, Stack } from '@mui/material';
import type { Role } from '../../../shared/roles';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

const KEYS: Record<Role, MessageKey> = { officer: 'roleOfficer', finance: 'roleFinance', auditor: 'roleAuditor', admin: 'roleAdmin' };

export function RoleChips({ roles, light = true }: { roles: Role[]; light?: boolean }) {
  const { t } = useI18n();
  return (
    <Stack direction="row" spacing={0.5} sx={{ mr: 2 }}>
      {roles.map((r) => (
        <Chip key={r} size="small" label={t(KEYS[r])} sx={light ? { color: 'inherit', borderColor: 'rgba(255,255,255,.5)' } : undefined} variant="outlined" />
      ))}
    </Stack>
  );
}
