import os from 'node:os';
import path from 'node:path';

/** The per-user data folder Electron's app.getPath('userData') would give, without Electron. */
export function userDataDir(appName = 'gongji-recon'): string {
  if (process.env.GONGJI_DATA_DIR) return process.env.GONGJI_DATA_DIR;
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), appName);
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', appName);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), appName);
}

export function defaultDbPath(): string {
  return path.join(userDataDir(), 'workstation.sqlite');
}

export function defaultUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'officer';
  }
}
