import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type EventName, type EventPayload } from '../api';
import type { Router } from './router';
import { isTrustedSender } from './sender';

export function bindRouter(router: Router, devServerUrl: string | undefined): void {
  ipcMain.handle(IPC_INVOKE, async (event: IpcMainInvokeEvent, channel: unknown, input: unknown) => {
    // Only the top frame of our own page may call: a navigated or embedded frame gets nothing.
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isTrustedSender(frame.url, devServerUrl)) {
      return { ok: false, error: { code: 'USAGE', message: 'Refused: the call did not come from Keyhold.' } };
    }
    return router.invoke(String(channel), input);
  });
}

export function eventSender(getTarget: () => WebContents | undefined) {
  return <E extends EventName>(name: E, payload: EventPayload<E>): void => {
    const target = getTarget();
    if (target && !target.isDestroyed()) target.send(IPC_EVENT, name, payload);
  };
}
