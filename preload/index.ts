// The renderer's only door to main: window.keyhold with invoke() and onEvent(), nothing else
// (no raw ipcRenderer). main validates every payload against main/api/.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiResult, IpcEventChannel, IpcInvokeChannel, KeyholdBridge } from '../main/api';

const IPC_INVOKE: IpcInvokeChannel = 'keyhold:invoke';
const IPC_EVENT: IpcEventChannel = 'keyhold:event';

const bridge: KeyholdBridge = {
  invoke: (channel, input) => ipcRenderer.invoke(IPC_INVOKE, channel, input) as Promise<ApiResult<unknown>>,
  onEvent(listener) {
    const wrapped = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (typeof name === 'string') listener(name, payload);
    };
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('keyhold', bridge);
