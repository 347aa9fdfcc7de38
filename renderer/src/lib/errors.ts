// Every failure reaches the user as a sentence that says what happened and what to do, with the
// platform's own words kept beside it (the router's message is already secret-free). A platform
// failure is told apart by the reason main's HTTP client gave it, never by its wording.
import type { RemoteFailureReason } from '../../../main/api';
import { ApiCallError } from '../api';

export interface Explained {
  title: string;
  detail?: string;
  code: string;
}

/** What to do about a failed platform call, by its reason. */
function remoteAdvice(reason: RemoteFailureReason | undefined, doing: string | undefined): string {
  switch (reason) {
    case 'rate_limited':
      return 'The platform is limiting how fast Keyhold may call it. Wait a minute and try again.';
    case 'auth':
      return doing?.startsWith('connect')
        ? 'The platform did not accept these credentials. Check them and try again.'
        : 'The platform refused the stored credential. Reconnect the workspace with a valid one.';
    case 'scope':
      // a credential without the right scope or role: nothing was recorded as done
      return doing?.startsWith('connect')
        ? 'The platform did not accept these credentials. Check them and try again.'
        : 'The platform refused the stored credential: it lacks the scope or role this needs. Nothing was recorded as done; the key keeps its state. The message below says what to do.';
    case 'server':
      return 'The platform failed on its side. Try again later; nothing was changed in your vault.';
    case 'unreachable':
      return 'The platform did not answer. Check the connection or try again later; nothing was changed.';
    case 'refused':
    case undefined:
      return 'The platform refused the request.';
  }
}

export function explain(error: unknown, doing?: string): Explained {
  if (!(error instanceof ApiCallError)) {
    return { title: `${doing ? `Could not ${doing}: ` : ''}Keyhold could not reach its main process.`, code: 'INTERNAL' };
  }
  const prefix = doing ? `Could not ${doing}. ` : '';
  const m = error.message;
  switch (error.code) {
    case 'WRONG_PASSWORD':
      return { title: 'That password does not open it. Check Caps Lock and try again.', code: error.code };
    case 'LOCKED':
      return { title: 'The vault is locked. Unlock it and try again.', code: error.code };
    case 'NOT_FOUND':
      return { title: `${prefix}It no longer exists.`, detail: m, code: error.code };
    case 'CONFLICT':
      return { title: `${prefix}It already exists.`, detail: m, code: error.code };
    case 'INVALID_INPUT':
      return { title: `${prefix}Something in the input is not valid.`, detail: m, code: error.code };
    case 'INTEGRITY':
      return { title: 'The vault file is damaged or was changed outside Keyhold. Nothing was written to it.', detail: m, code: error.code };
    case 'REMOTE':
      return { title: `${prefix}${remoteAdvice(error.remote?.reason, doing)}`, detail: m, code: error.code };
    case 'USAGE':
      if (/unknown channel/i.test(m)) return { title: `${prefix}This version of Keyhold cannot do that yet.`, detail: m, code: error.code };
      return { title: `${prefix}${m}`, code: error.code };
    default:
      return { title: `${prefix}Keyhold hit an internal error. Your vault was not changed.`, detail: m, code: error.code };
  }
}

export function isCode(error: unknown, code: string): boolean {
  return error instanceof ApiCallError && error.code === code;
}
