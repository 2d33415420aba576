// The month's clearing calendar (domain.md §3): last month's data by the 5th,
// 对账 by the 20th (异地) and 25th (省内), statements by month end, remittance within
// 15 working days of notice, transfer within 7 working days after. Working days
// follow China's 法定节假日 and 调休 (working-days.ts), and say which year's calendar.
import type { Database } from 'better-sqlite3';
import type { Deadline } from '../../../shared/clearing-types';
import { addWorkingDays, calendarNote } from './working-days';
import { beijingDate } from '../../../shared/beijing-time';

export type { Deadline };

const ymd = (d: Date) => d.toISOString().slice(0, 10);

/** The deadlines for clearing `period` (YYYY-MM), which fall in the month after it. */
export function clearingDeadlines(db: Database, period: string, today: Date = new Date()): Deadline[] {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const next = (day: number) => new Date(Date.UTC(y, m, day));
  const monthEnd = new Date(Date.UTC(y, m + 1, 0));
  const remit = addWorkingDays(monthEnd, 15);
  const transfer = addWorkingDays(remit, 7);
  const has = (sql: string, ...p: unknown[]) => !!db.prepare(sql).get(...p);
  const dataIn = has("SELECT 1 FROM import_batch WHERE status = 'active' AND kind IN ('settlement', 'ledger-settlement') AND substr(period_to, 1, 7) = ?", period);
  const reconciled = has("SELECT 1 FROM recon_run WHERE kind = 'settlement' AND period = ?", period);
  const prepared = has('SELECT 1 FROM statement WHERE period = ?', period);
  const confirmed = has("SELECT 1 FROM statement WHERE period = ? AND status = 'confirmed'", period);
  // Overdue once the due date has passed in Beijing (by the machine's UTC date, eight hours late).
  const state = (done: boolean, due: Date): Deadline['state'] => (done ? 'done' : beijingDate(today) > ymd(due) ? 'overdue' : 'pending');
  const notKept = { zh: '资金划拨不在本工作站记录', en: 'transfers of funds are not recorded on this workstation' };
  return [
    { key: 'data', label: '上月数据生成（5 日前）', due: ymd(next(5)), state: state(dataIn, next(5)), note: dataIn ? '已导入结算数据' : '尚未导入该月结算数据', en: { label: "Last month's data (by the 5th)", note: dataIn ? 'settlement data imported' : "the month's settlement data not yet imported" } },
    { key: 'recon-offsite', label: '异地就医对账（20 日前）', due: ymd(next(20)), state: state(reconciled, next(20)), note: reconciled ? '已对账' : '尚未对账', en: { label: 'Out-of-region care reconciled (by the 20th)', note: reconciled ? 'reconciled' : 'not yet reconciled' } },
    { key: 'recon-local', label: '省内跨统筹区对账（25 日前）', due: ymd(next(25)), state: state(reconciled, next(25)), note: reconciled ? '已对账' : '尚未对账', en: { label: 'In-province cross-region reconciled (by the 25th)', note: reconciled ? 'reconciled' : 'not yet reconciled' } },
    { key: 'statement', label: '清算平衡表和明细表（月底前）', due: ymd(monthEnd), state: state(confirmed, monthEnd), note: confirmed ? '已复核' : prepared ? '已编制，待复核' : '尚未编制', en: { label: 'Balance and detail statements (by month end)', note: confirmed ? 'confirmed' : prepared ? 'prepared, awaiting confirmation' : 'not yet prepared' } },
    { key: 'remit', label: '各地上解资金（通知后 15 个工作日）', due: ymd(remit), state: 'pending', note: `${notKept.zh}；${calendarNote(monthEnd, remit)}`, en: { label: 'Regions remit funds (15 working days after notice)', note: `${notKept.en}; ${calendarNote(monthEnd, remit, 'en')}` } },
    { key: 'transfer', label: '省级下拨资金（7 个工作日）', due: ymd(transfer), state: 'pending', note: `${notKept.zh}；${calendarNote(remit, transfer)}`, en: { label: 'Province transfers funds (7 working days)', note: `${notKept.en}; ${calendarNote(remit, transfer, 'en')}` } },
  ];
}
