// Audit actions: codes in the trail (hashed, stable), these words for people.
import { ROLE_LABELS, ROLE_LABELS_EN, type Role } from './roles';
import { RECON_KIND_LABELS, RECON_KIND_LABELS_EN, breakEventLabel, breakTypeLabel, fieldLabel, type Lang } from './labels';
import { KINDS, kindName } from './import-kinds';
import type { ImportKind, ReconKind } from './domain';
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'auth.login': '登录',
  'auth.failed': '登录失败（口令不对）',
  'auth.refused': '登录被拒（已锁定）',
  'user.create': '添加用户',
  'user.update': '修改用户',
  'user.password': '设置口令',
  import: '导入文件',
  'import.withdraw': '撤销导入',
  'import.source': '取回原始文件',
  'profile.save': '保存列映射方案',
  reconcile: '对账',
  'break.assign': '分配差异',
  'break.dispose': '处理差异',
  'break.propose-writeoff': '提出核销',
  'break.approve-writeoff': '审批通过核销',
  'break.reject-writeoff': '驳回核销',
  'break.comment': '批注差异',
  'break.undo': '撤销上一步',
  'breaks.export': '导出差异清单',
  'breaks.tax-feedback': '写出差异反馈（含完整证件号码）',
  'pii.reveal': '查看完整证件号码和姓名',
  'key.generate': '生成签名密钥',
  'key.import': '导入签名密钥',
  'signer.add': '登记受信任签章人',
  'signer.revoke': '吊销签章密钥',
  'signer.export': '导出信任文件',
  'signer.import': '导入信任文件',
  'statement.prepare': '编制清算报表',
  'statement.confirm': '复核清算报表',
  'period.lock': '锁定期间',
  'period.carry': '结转未结事项',
  'policy.check': '政策检查',
  'policy.dispose': '处理政策检查发现',
  'policy.export': '导出政策检查发现',
  'policy.select': '切换政策方案',
  'policy.save': '保存政策方案',
  'audit.export': '导出审计日志',
  'system.backup': '备份数据库',
  'store.migrate': '升级数据库结构',
  'system.backup.head': '记录备份时的审计链头',
  'system.restore': '从备份恢复',
};

/** The same actions in English, for the English interface (every Chinese label has one: a test holds them together). */
export const AUDIT_ACTION_LABELS_EN: Record<string, string> = {
  'auth.login': 'Signed in',
  'auth.failed': 'Sign-in failed (wrong password)',
  'auth.refused': 'Sign-in refused (locked)',
  'user.create': 'Added a user',
  'user.update': 'Changed a user',
  'user.password': 'Set a password',
  import: 'Imported a file',
  'import.withdraw': 'Withdrew an import',
  'import.source': 'Retrieved an original file',
  'profile.save': 'Saved a column mapping',
  reconcile: 'Reconciled',
  'break.assign': 'Assigned breaks',
  'break.dispose': 'Disposed of breaks',
  'break.propose-writeoff': 'Proposed a write-off',
  'break.approve-writeoff': 'Approved a write-off',
  'break.reject-writeoff': 'Rejected a write-off',
  'break.comment': 'Commented on a break',
  'break.undo': 'Undid the last step',
  'breaks.export': 'Exported breaks',
  'breaks.tax-feedback': 'Wrote the tax feedback file (full ID numbers)',
  'pii.reveal': 'Revealed full ID numbers and names',
  'key.generate': 'Generated a signing key',
  'key.import': 'Imported a signing key',
  'signer.add': 'Registered a trusted signer',
  'signer.revoke': 'Revoked a signing key',
  'signer.export': 'Exported the trust file',
  'signer.import': 'Imported a trust file',
  'statement.prepare': 'Prepared a clearing statement',
  'statement.confirm': 'Confirmed a clearing statement',
  'period.lock': 'Locked periods',
  'period.carry': 'Carried open items forward',
  'policy.check': 'Ran the policy checks',
  'policy.dispose': 'Disposed of policy findings',
  'policy.export': 'Exported policy findings',
  'policy.select': 'Switched the policy profile',
  'policy.save': 'Saved a policy profile',
  'audit.export': 'Exported the audit trail',
  'system.backup': 'Backed up the database',
  'store.migrate': 'Upgraded the database structure',
  'system.backup.head': 'Recorded the audit head at backup',
  'system.restore': 'Restored from a backup',
};

/** The words for an action (Chinese, or English for the English interface), the code itself for one not (yet) named here. */
export const auditActionLabel = (action: string, lang: Lang = 'zh'): string => (lang === 'en' ? AUDIT_ACTION_LABELS_EN : AUDIT_ACTION_LABELS)[action] ?? action;

/** Who the trail names for what the program itself did (upgrading the file): no user name can be this (users.ts allows letters, digits and ._- only). */
export const SYSTEM_ACTOR = '（系统）';

/** Words for the keys audit details use most; any other key is shown as it is. */
const DETAIL_KEYS: Record<string, string> = {
  file: '文件', rows: '行数', rejected: '拒收行', kind: '类型', profile: '方案', encoding: '编码', sha256: 'SHA-256',
  reason: '理由', note: '备注', period: '期间', count: '笔数', ids: '差异', keys: '单号', host: '来自', format: '格式',
  before: '之前', after: '之后', roles: '角色', disabled: '停用', name: '名称', fingerprint: '密钥指纹', locked: '锁定',
  runId: '对账批次', matched: '匹配', breaks: '差异', opened: '新开', autoClosed: '自动核销', tieOut: '勾稽平衡',
  writeOffs: '待审批核销', manifestSm3: '清单 SM3', preparer: '编制人', zip: '压缩包', status: '状态', query: '条件',
  batchId: '批次', user: '用户', to: '给', grp: '组', fullIds: '完整证件号码', seq: '序号', hash: '摘要', displayName: '显示名',
  added: '新增', revoked: '吊销', unchanged: '未变', source: '来源', purpose: '用途', why: '原因', known: '账户存在', first: '首个账户',
  fields: '字段', signers: '签章人', sm3: 'SM3', from: '来自文件', keptAside: '原文件留存于', auditEntries: '审计条目', head: '审计链头',
  foreign: '来自其他工作站', workstation: '工作站', key: '单号', text: '内容', undid: '撤销的操作', resolution: '处理结果', path: '路径',
  matches: '相同文件', by: '操作人', auditHead: '审计链头', totals: '合计', care: '就医共济', premium: '缴费共济', held: '保持不变', heldApart: '其中直接沿用',
  listed: '沿用未结清单', blockReads: '本期数据块读取', reader: '读取线程', own: '对账线程', findings: '发现', skipped: '未检查', fromVersion: '原结构版本', toVersion: '新结构版本', steps: '升级内容',
  // A break query's filters (an export's 条件), as the workbench names them.
  types: '差异类型', aging: '账龄（天）', search: '搜索', pending: '只看待审批核销', assignee: '分配给', paired: '只看可能成对', sort: '排序', offset: '起始行', limit: '行数上限',
};

/** The same keys in English. */
const DETAIL_KEYS_EN: Record<string, string> = {
  file: 'file', rows: 'rows', rejected: 'rejected', kind: 'kind', profile: 'profile', encoding: 'encoding', sha256: 'SHA-256',
  reason: 'reason', note: 'note', period: 'period', count: 'count', ids: 'breaks', keys: 'keys', host: 'from', format: 'format',
  before: 'before', after: 'after', roles: 'roles', disabled: 'disabled', name: 'name', fingerprint: 'key fingerprint', locked: 'locked',
  runId: 'run', matched: 'matched', breaks: 'breaks', opened: 'opened', autoClosed: 'closed by counterpart', tieOut: 'ties out',
  writeOffs: 'write-offs pending', manifestSm3: 'manifest SM3', preparer: 'preparer', zip: 'zip', status: 'status', query: 'query',
  batchId: 'batch', user: 'user', to: 'to', grp: 'group', fullIds: 'full ID numbers', seq: 'no.', hash: 'hash', displayName: 'display name',
  added: 'added', revoked: 'revoked', unchanged: 'unchanged', source: 'source', purpose: 'purpose', why: 'why', known: 'account exists', first: 'first account',
  fields: 'fields', signers: 'signers', sm3: 'SM3', from: 'from file', keptAside: 'former file kept at', auditEntries: 'audit entries', head: 'audit chain head',
  foreign: 'from another workstation', workstation: 'workstation', key: 'key', text: 'text', undid: 'undid', resolution: 'resolution', path: 'path',
  matches: 'same file', by: 'by', auditHead: 'audit chain head', totals: 'totals', care: 'care mutual aid', premium: 'premium mutual aid', held: 'held as they were', heldApart: 'of which held apart',
  listed: 'open list reused', blockReads: 'period blocks read', reader: 'by the reading thread', own: "by the run's thread", findings: 'findings', skipped: 'not checked', fromVersion: 'from schema version', toVersion: 'to schema version', steps: 'changes',
  types: 'break types', aging: 'aging (days)', search: 'search', pending: 'write-offs pending only', assignee: 'assigned to', paired: 'likely pairs only', sort: 'sort', offset: 'from row', limit: 'row limit',
};

/** Every key some audit detail uses, for the test that holds the engine to them. */
export const AUDIT_DETAIL_KEYS = Object.keys(DETAIL_KEYS);

/** How a detail reads in one language: its keys, roles, yes/no and "and n more". */
interface DetailWords {
  lang: Lang;
  keys: Record<string, string>;
  statuses: Record<string, string>;
  roles: Record<Role, string>;
  yes: string;
  no: string;
  more: (n: number) => string;
  list: string;
  pair: string;
  field: string;
  fields: string;
}

const WORDS: Record<Lang, DetailWords> = {
  zh: { lang: 'zh', keys: DETAIL_KEYS, statuses: { open: '未处理', closed: '已处理', all: '全部' }, roles: ROLE_LABELS, yes: '是', no: '否', more: (n) => ` 等 ${n} 项`, list: '、', pair: '，', field: '：', fields: '；' },
  en: { lang: 'en', keys: DETAIL_KEYS_EN, statuses: { open: 'open', closed: 'closed', all: 'all' }, roles: ROLE_LABELS_EN, yes: 'yes', no: 'no', more: (n) => ` and ${n - 6} more`, list: ', ', pair: ', ', field: ': ', fields: '; ' },
};

/** Codes a detail holds under these keys, in words: a kind, a status, fields, a break's action, break types with their counts. */
function codedValue(v: unknown, w: DetailWords, key: string): string | null {
  if (key === 'roles' && Array.isArray(v)) return v.map((r) => w.roles[r as Role] ?? String(r)).join(w.list);
  if (key === 'kind' && typeof v === 'string') {
    if (v in RECON_KIND_LABELS) return (w.lang === 'en' ? RECON_KIND_LABELS_EN : RECON_KIND_LABELS)[v as ReconKind];
    if (v in KINDS) return kindName(v as ImportKind, w.lang);
  }
  if (key === 'status' && typeof v === 'string') return w.statuses[v] ?? v;
  if (key === 'host' && typeof v === 'string') return hostLabel(v, w.lang);
  if (key === 'fields' && Array.isArray(v)) return v.map((f) => fieldLabel(String(f), w.lang)).join(w.list);
  if (key === 'types' && Array.isArray(v)) return v.map((t) => breakTypeLabel(String(t), w.lang)).join(w.list);
  if (key === 'undid' && typeof v === 'string') return breakEventLabel(v, w.lang);
  // A policy check's profile as `id@version` (run-checks.ts): its version as the settings page shows it.
  if (key === 'profile' && typeof v === 'string' && /^[^@]+@\d+$/.test(v)) return v.replace('@', ' v');
  // A run's breaks by type: [["LEDGER_ONLY", 3], …].
  if (key === 'breaks' && Array.isArray(v) && v.every((x) => Array.isArray(x) && x.length === 2)) return (v as [string, unknown][]).map(([t, n]) => `${breakTypeLabel(t, w.lang)} ${String(n)}`).join(w.list);
  return null;
}

function detailValue(v: unknown, w: DetailWords, key = ''): string {
  // Nothing (no filter, nothing skipped, no roles): a dash, not an empty value after its label.
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'object' && Object.keys(v).length === 0) return '—';
  const coded = codedValue(v, w, key);
  if (coded !== null) return coded;
  if (typeof v === 'boolean') return v ? w.yes : w.no;
  if (Array.isArray(v)) return v.length > 6 ? `${v.slice(0, 6).map((x) => detailValue(x, w)).join(w.list)}${w.more(v.length)}` : v.map((x) => detailValue(x, w)).join(w.list);
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${w.keys[k] ?? k} ${detailValue(x, w, k)}`).join(w.pair);
  const s = String(v);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

/** An audit entry's detail as a sentence of labelled values, not JSON (the JSON stays in the trail and its export); in English for the English interface. */
export function auditDetailSummary(detail: string, lang: Lang = 'zh'): string {
  const w = WORDS[lang];
  let d: unknown;
  try {
    d = JSON.parse(detail);
  } catch {
    return detail;
  }
  if (d === null || typeof d !== 'object' || Array.isArray(d)) return detailValue(d, w);
  return Object.entries(d as Record<string, unknown>).map(([k, v]) => `${w.keys[k] ?? k}${w.field}${detailValue(v, w, k)}`).join(w.fields);
}

/** The hosts an action came through, in words. */
const HOSTS: Record<Lang, Record<string, string>> = {
  zh: { electron: '桌面程序', http: '浏览器', cli: '命令行' },
  en: { electron: 'desktop app', http: 'browser', cli: 'command line' },
};

/** A host (electron, http, cli) in words, in `lang`: the audit trail's and the settings page's. */
export const hostLabel = (host: string, lang: Lang = 'zh'): string => HOSTS[lang][host] ?? host;

/**
 * What an entry acted on, as people read it: `批次 3` for `batch:3`, `缴费共济 2025-W47` for
 * `premium:2025-W47`, `命令行` for `host:cli`; a file's or a period's name as it is. Each
 * form maps back to one stored target (the trail keeps the stored one, and hashes it).
 */
export function auditTargetText(target: string | null | undefined, lang: Lang = 'zh'): string {
  if (!target) return '';
  const m = /^([a-z]+):(.+)$/.exec(target);
  if (!m) return target;
  const [, kind, rest] = m as unknown as [string, string, string];
  const en = lang === 'en';
  const n = /^\d+$/.test(rest);
  switch (kind) {
    case 'host':
      return hostLabel(rest, lang);
    case 'user':
      return en ? `user ${rest}` : `用户 ${rest}`;
    case 'batch':
      return n ? (en ? `batch ${rest}` : `批次 ${rest}`) : target;
    case 'break':
      return n ? (en ? `break ${rest}` : `差异 ${rest}`) : target;
    case 'breaks':
      if (n) return en ? `${rest} breaks` : `${rest} 条差异`;
      return rest in RECON_KIND_LABELS ? (en ? `breaks of ${RECON_KIND_LABELS_EN[rest as ReconKind]}` : `${RECON_KIND_LABELS[rest as ReconKind]}差异`) : target;
    case 'findings':
      return n ? (en ? `${rest} findings` : `${rest} 项发现`) : target;
    case 'statement':
      return n ? (en ? `statement ${rest}` : `清算报表 ${rest}`) : target;
    case 'premium':
    case 'settlement':
      return `${(en ? RECON_KIND_LABELS_EN : RECON_KIND_LABELS)[kind]} ${rest}`;
    default:
      return target;
  }
}
