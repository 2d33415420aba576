// The 对账 dashboard, drawn with recharts: breaks by type (count and amount), the
// open breaks' aging by type (stacked), and the last 12 periods' trend. Drawn at
// once, not grown into place: officers read figures, not motion (a screenshot or a
// printout taken in the first second showed bars a tenth of their height).
import type React from 'react';
import { Box, Paper, Stack, Typography } from '@mui/material';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { BREAK_TYPES } from '../../../../shared/domain';
import type { DashboardData } from '../../../../shared/recon-types';
import { parseAmountToFen } from '../../../../shared/money';
import { useI18n } from '../../i18n/i18n';

const STRONG: Record<string, string> = {
  LEDGER_ONLY: '#e53935',
  EXTERNAL_ONLY: '#fb8c00',
  AMOUNT_MISMATCH: '#d81b60',
  STATUS_MISMATCH: '#5e35b1',
  FIELD_MISMATCH: '#1e88e5',
  DUPLICATE: '#8e24aa',
  IN_TRANSIT: '#43a047',
  PLATFORM_FLAGGED: '#00897b',
};

/** Yuan for a chart axis: charts plot numbers, the figures themselves stay exact elsewhere. */
const chartYuan = (s: string) => {
  const r = parseAmountToFen(s);
  return r.ok ? r.fen / 100 : 0;
};

function ChartCard({ title, children, testId }: { title: string; children: React.ReactElement; testId: string }) {
  return (
    <Paper variant="outlined" sx={{ p: 1.5, flex: 1, minWidth: 340 }} data-testid={testId}>
      <Typography variant="subtitle2" gutterBottom>
        {title}
      </Typography>
      <Box sx={{ height: 220 }}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </Box>
    </Paper>
  );
}

export function Dashboard({ data }: { data: DashboardData }) {
  const { t, breakLabel, paren } = useI18n();
  const byType = data.byType.map((b) => ({ name: breakLabel(b.type), type: b.type, count: b.count, amount: chartYuan(b.type === 'EXTERNAL_ONLY' ? b.amountExternal : b.amountLedger) }));
  const aging = data.aging.map((a) => ({ bucket: `${a.bucket} ${t('days')}`, ...a.counts }));
  // The types some open break has: the legend names what the bars show, not every type there is.
  const agingTypes = BREAK_TYPES.filter((type) => data.aging.some((a) => (a.counts[type] ?? 0) > 0));
  return (
    <Stack useFlexGap direction="row" spacing={2} sx={{ flexWrap: 'wrap', rowGap: 2 }} data-testid="dashboard">
      <ChartCard title={`${t('dashboardByType')}${paren(`${t('count')} / ${t('amount')}`)}`} testId="chart-by-type">
        <BarChart data={byType}>
          <CartesianGrid strokeDasharray="3 3" />
          {/* Every type named: recharts drops labels that would touch unless told not to. */}
          <XAxis dataKey="name" fontSize={11} interval={0} angle={-20} textAnchor="end" height={48} />
          <YAxis yAxisId="c" fontSize={11} allowDecimals={false} />
          <YAxis yAxisId="a" orientation="right" fontSize={11} />
          <Tooltip />
          <Legend />
          <Bar yAxisId="c" dataKey="count" name={t('count')} fill="#1565c0" isAnimationActive={false} />
          <Bar yAxisId="a" dataKey="amount" name={`${t('amount')}${paren(t('yuan'))}`} fill="#ef6c00" isAnimationActive={false} />
        </BarChart>
      </ChartCard>
      <ChartCard title={t('dashboardAging')} testId="chart-aging">
        <BarChart data={aging}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="bucket" fontSize={11} />
          <YAxis fontSize={11} allowDecimals={false} />
          <Tooltip />
          <Legend />
          {agingTypes.map((type) => (
            <Bar key={type} dataKey={type} name={breakLabel(type)} stackId="a" fill={STRONG[type]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ChartCard>
      <ChartCard title={t('dashboardTrend')} testId="chart-trend">
        <LineChart data={data.trend}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="period" fontSize={11} />
          <YAxis yAxisId="r" domain={[0, 100]} fontSize={11} />
          <YAxis yAxisId="n" orientation="right" fontSize={11} allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Line yAxisId="r" dataKey="matchRate" name={`${t('matchRate')} %`} stroke="#2e7d32" isAnimationActive={false} />
          <Line yAxisId="n" dataKey="open" name={t('statusOpen')} stroke="#c62828" isAnimationActive={false} />
        </LineChart>
      </ChartCard>
    </Stack>
  );
}
