import { KeyholdError } from './errors';

/** The KeyholdError a promise rejects with; fails the test if it resolves or throws anything else. */
export async function failure(p: Promise<unknown>): Promise<KeyholdError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KeyholdError) return e;
    throw e;
  }
  throw new Error('expected a KeyholdError, but the call succeeded');
}
