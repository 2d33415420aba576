// `npm run cli -- <command> [options]`: batch runs and auditors. JSON on stdout,
// human messages on stderr, a non-zero exit with a clear message on any error.
import { Command } from 'commander';
import pkg from '../../../package.json';
import { registerImportCommands } from './commands/imports';
import { registerReconcileCommands } from './commands/reconcile';
import { registerSystemCommands } from './commands/system';
import { registerAdminCommands } from './commands/admin';
import { registerWorkCommands } from './commands/work';
import { registerClearingCommands } from './commands/clearing';
import { registerPolicyCommands } from './commands/policy';
import { registerSignerCommands } from './commands/signers';
import { chineseError, helpTitle } from './cli-words';

export function buildProgram(): Command {
  const program = new Command('gongji')
    .description(`${pkg.productName} 命令行：导入、对账、差异、审计`)
    .version(pkg.version, '-V, --version', '显示版本号')
    // Commander's own words in Chinese first (its subcommands inherit these settings).
    .helpOption('-h, --help', '显示帮助')
    .helpCommand('help [command]', '显示某个命令的帮助')
    .configureHelp({ styleTitle: helpTitle })
    .configureOutput({ outputError: (text, write) => write(chineseError(text)) })
    .option('--db <file>', '工作站数据库文件（默认在用户数据目录）')
    .option('--user <name>', '以哪个用户的身份操作（默认当前系统用户；口令取自 RECON_PASSWORD 或终端输入）')
    .option('--quiet', '不在 stderr 打印提示')
    .showHelpAfterError()
    // Options belong to the command they follow (statement --key vs statement confirm --key).
    .enablePositionalOptions();
  registerSystemCommands(program);
  registerImportCommands(program);
  registerReconcileCommands(program);
  registerWorkCommands(program);
  registerClearingCommands(program);
  registerSignerCommands(program);
  registerPolicyCommands(program);
  registerAdminCommands(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
