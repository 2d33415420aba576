// Commander's own words, Chinese first: its help's headings, and the errors it
// reports before a command runs (an unknown option, a missing argument …). The
// English stays beside the Chinese, as the page does in its English interface,
// so a message can still be searched for.

/** The help's headings. */
const HELP_TITLES: Record<string, string> = {
  'Usage:': '用法 Usage:',
  'Options:': '选项 Options:',
  'Commands:': '命令 Commands:',
  'Arguments:': '参数 Arguments:',
  'Global Options:': '全局选项 Global Options:',
};

export const helpTitle = (title: string): string => HELP_TITLES[title] ?? title;

/** Each of commander's error forms, in Chinese; the English line follows as commander wrote it. */
const ERRORS: [RegExp, (...m: string[]) => string][] = [
  [/^error: unknown option '([^']*)'/, (o) => `未知选项 ${o}`],
  [/^error: unknown command '([^']*)'/, (c) => `未知命令 ${c}`],
  [/^error: required option '([^']*)' not specified/, (o) => `缺少必填选项 ${o}`],
  [/^error: missing required argument '([^']*)'/, (a) => `缺少参数 ${a}`],
  [/^error: option '([^']*)' argument missing/, (o) => `选项 ${o} 缺少取值`],
  [/^error: option '([^']*)' argument '([^']*)' is invalid/, (o, v) => `选项 ${o} 的取值 ${v} 无效`],
  [/^error: too many arguments/, () => '参数过多'],
  [/^error: (.*) cannot be used with (.*)$/m, (a, b) => `${a} 不能与 ${b} 同时使用`],
];

/** A commander error in Chinese, its English kept on the next line; anything else as it is. */
export function chineseError(text: string): string {
  for (const [re, say] of ERRORS) {
    const m = re.exec(text);
    if (m) return `错误：${say(...m.slice(1))}\n${text.replace(/\(Did you mean (one of )?(.*)\?\)/, '（是否想输入 $2？）')}`;
  }
  return text;
}
