// Transport-agnostic dispatch: validate input, call the handler, validate output, and map every
// failure to {code, message}. Electron's ipcMain, the e2e bridge and tests all call invoke().
import { type z } from 'zod';
import { channels, type ApiResult, type Channel, type ChannelInput, type ChannelOf, type ChannelOutput, type Namespace } from '../api';
import { KeyholdError, errorInfo, isKeyholdError, type ErrorCode } from '../errors';

type HandlerInput<C extends Channel> = z.output<(typeof channels)[C]['input']>;
type HandlerOutput<C extends Channel> = z.input<(typeof channels)[C]['output']>;

export type Handler<C extends Channel> = (input: HandlerInput<C>) => Promise<HandlerOutput<C>> | HandlerOutput<C>;

export type Handlers = { [C in Channel]: Handler<C> };

/** The handlers of one namespace, e.g. HandlersFor<'keys'>: every `keys.*` channel, nothing else. */
export type HandlersFor<N extends Namespace> = { [C in ChannelOf<N>]: Handler<C> };

export interface Router {
  invoke(channel: string, input: unknown): Promise<ApiResult<unknown>>;
}

/** Describes what was wrong with a payload by path and rule only: values may be secrets. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(payload)'}: ${issue.code.replace(/_/g, ' ')}`)
    .join('; ');
}

function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(channels, name);
}

export interface RouterOptions {
  /** Told of unexpected failures: the channel and the error's class name, never its message. */
  onInternalError?: (channel: string, error: unknown) => void;
  /** Told when a handler raises a code its channel does not list in main/api (tests fail on it). */
  onUndeclaredError?: (channel: Channel, code: ErrorCode) => void;
}

function declares(channel: Channel, code: ErrorCode): boolean {
  const listed: readonly ErrorCode[] = channels[channel].errors;
  return listed.includes(code);
}

export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  async function dispatch<C extends Channel>(channel: C, raw: unknown): Promise<ChannelOutput<C>> {
    const spec = channels[channel];
    const parsed = spec.input.safeParse(raw ?? {});
    if (!parsed.success) {
      throw new KeyholdError('INVALID_INPUT', `Invalid payload for ${channel}: ${describeIssues(parsed.error)}`);
    }
    const handler = handlers[channel] as (input: unknown) => Promise<unknown> | unknown;
    let result: unknown;
    try {
      result = await handler(parsed.data);
    } catch (e) {
      if (isKeyholdError(e) && !declares(channel, e.code)) options.onUndeclaredError?.(channel, e.code);
      throw e;
    }
    const checked = spec.output.safeParse(result);
    if (!checked.success) {
      throw new Error(`handler for ${channel} broke its output contract: ${describeIssues(checked.error)}`);
    }
    return checked.data as ChannelOutput<C>;
  }

  return {
    async invoke(channel, input) {
      if (typeof channel !== 'string' || !isChannel(channel)) {
        return { ok: false, error: { code: 'USAGE', message: `Unknown channel: ${String(channel).slice(0, 64)}` } };
      }
      try {
        return { ok: true, value: await dispatch(channel, input as ChannelInput<typeof channel>) };
      } catch (e) {
        if (isKeyholdError(e)) return { ok: false, error: errorInfo(e, '') };
        options.onInternalError?.(channel, e);
        return { ok: false, error: { code: 'INTERNAL', message: `Keyhold hit an internal error in ${channel}.` } };
      }
    },
  };
}
