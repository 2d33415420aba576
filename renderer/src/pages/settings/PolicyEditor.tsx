// 政策方案 for the administrator: each rule switched on or off with its citation
// and parameters (allowed relations, family size, payment order, excluded
// regions). Saving makes the profile's next version; earlier versions stay, as
// findings cite the version they were judged by.
import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, FormControlLabel, Stack, TextField, Typography } from '@mui/material';
import { ORDER_STEPS, RULE_IDS, orderStepLabel, ruleLabel, type PolicyInfo } from '../../../../shared/policy-types';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';

type Rules = PolicyInfo['rules'];
/** The checks the engine applies when a profile names none. */
const ORDER_DEFAULT: readonly string[] = ORDER_STEPS;
const list = (v: unknown): string => (Array.isArray(v) ? v.join('，') : '');
const unlist = (s: string): string[] => s.split(/[,，、\s]+/).map((x) => x.trim()).filter(Boolean);

export function PolicyEditor({ policy, onSaved }: { policy: PolicyInfo; onSaved(p: PolicyInfo): void }) {
  const { t, lang, paren } = useI18n();
  const [rules, setRules] = useState<Rules>(policy.rules);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => setRules(policy.rules), [policy]);
  const set = (id: string, patch: Record<string, unknown>) => setRules((r) => ({ ...r, [id]: { ...r[id]!, ...patch } }));
  const save = () => {
    setMessage(null);
    api
      .call('policy/save', { profile: { id: policy.id, name: policy.name, province: policy.province, document: policy.document, rules } })
      .then(() => api.call('policy/list', {}))
      .then(
        (all) => {
          const saved = all.find((p) => p.id === policy.id)!;
          setMessage({ ok: true, text: `${t('policySaved')} v${saved.version}` });
          onSaved(saved);
        },
        (e: Error) => setMessage({ ok: false, text: e.message }),
      );
  };
  return (
    <Stack spacing={1} data-testid="policy-editor" sx={{ mt: 2 }}>
      <Typography variant="subtitle2">
        {t('policyEdit')}
        {paren(`${policy.name} v${policy.version}`)}
      </Typography>
      {RULE_IDS.filter((id) => rules[id]).map((id) => {
        const r = rules[id]!;
        // The payment order's checks as the profile has them (none named: the engine's default, all).
        const order = Array.isArray(r.order) ? (r.order as string[]) : ORDER_DEFAULT;
        return (
          <Stack useFlexGap key={id} direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }} data-testid={`policy-rule-${id}`}>
            <FormControlLabel sx={{ width: 260 }} control={<Checkbox size="small" checked={r.enabled} onChange={(e) => set(id, { enabled: e.target.checked })} />} label={ruleLabel(id, lang)} />
            <TextField size="small" label={t('citation')} value={r.citation} onChange={(e) => set(id, { citation: e.target.value })} sx={{ width: 360 }} />
            {id === 'family_size' && (
              <TextField size="small" type="number" label={t('maxPeople')} value={String(r.max ?? '')} onChange={(e) => set(id, { max: Math.max(0, Math.floor(Number(e.target.value) || 0)) })} sx={{ width: 130 }} slotProps={{ htmlInput: { 'data-testid': 'policy-family-max', min: 0 } }} />
            )}
            {id === 'relations' && (
              <TextField size="small" label={t('allowedRelations')} value={list(r.allowed)} onChange={(e) => set(id, { allowed: unlist(e.target.value) })} sx={{ width: 300 }} />
            )}
            {id === 'excluded_regions' && (
              <TextField size="small" label={t('excludedRegions')} value={list(r.regions)} onChange={(e) => set(id, { regions: unlist(e.target.value) })} sx={{ width: 300 }} />
            )}
            {id === 'payment_order' && (
              // Each check a box named in words (it had been a text field of codes: own, local, binding_time).
              <Stack direction="row" sx={{ alignItems: 'center' }} data-testid="policy-order">
                <Typography variant="body2" color="text.secondary" sx={{ mr: 1 }}>{t('paymentOrder')}</Typography>
                {ORDER_STEPS.map((step) => {
                  const label = orderStepLabel(step, lang);
                  return (
                    <FormControlLabel
                      key={step}
                      label={label}
                      control={
                        <Checkbox
                          size="small"
                          checked={order.includes(step)}
                          slotProps={{ input: { 'data-testid': `policy-order-${step}` } as object }}
                          onChange={(e) => {
                            const now = new Set(order);
                            if (e.target.checked) now.add(step);
                            else now.delete(step);
                            set(id, { order: ORDER_DEFAULT.filter((s) => now.has(s)) });
                          }}
                        />
                      }
                    />
                  );
                })}
              </Stack>
            )}
          </Stack>
        );
      })}
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Button variant="contained" size="small" data-testid="policy-save" onClick={save}>{t('policySaveVersion')}</Button>
        {message && <Alert severity={message.ok ? 'success' : 'error'} data-testid="policy-save-message">{message.text}</Alert>}
      </Stack>
    </Stack>
  );
}
