// Exposes exactly the contract to the page: call(name, args) for known calls and
// on(event, listener) for known events. Never ipcRenderer itself, never the IPC event.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CALL_NAME_LIST, EVENT_NAME_LIST, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/call-names';

const calls = new Set<string>(CALL_NAME_LIST);
const events = new Set<string>(EVENT_NAME_LIST);

contextBridge.exposeInMainWorld('gongji', {
  call(name: string, args: unknown, session: string | null): Promise<unknown> {
    if (!calls.has(name)) return Promise.reject(new Error(`未知的调用：${name}`));
    return ipcRenderer.invoke(IPC_CALL_CHANNEL, { name, args, session });
  },
  on(name: string, listener: (payload: unknown) => void): () => void {
    if (!events.has(name)) throw new Error(`未知的事件：${name}`);
    const relay = (_event: unknown, message: { name: string; payload: unknown }) => {
      if (message?.name === name) listener(message.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, relay);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, relay);
  },
  /** The path of a file the user dropped or chose, so the engine reads it in place. */
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
});
