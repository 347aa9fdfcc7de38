// The renderer's typed client of main/api/ over window.keyhold. Types only from main.
import type { ApiError, Channel, ChannelInput, ChannelOutput, EventName, EventPayload, KeyholdBridge } from '../../main/api';

declare global {
  interface Window {
    keyhold: KeyholdBridge;
  }
}

export class ApiCallError extends Error {
  readonly code: ApiError['code'];
  /** why a platform call failed, when one did: what the UI reads, never the message text */
  readonly remote?: ApiError['remote'];
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    if (error.remote) this.remote = error.remote;
  }
}

export async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await window.keyhold.invoke(channel, input);
  if (!result.ok) throw new ApiCallError(result.error);
  return result.value as ChannelOutput<C>;
}

export function onEvent<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
  return window.keyhold.onEvent((n, payload) => {
    if (n === name) listener(payload as EventPayload<E>);
  });
}
