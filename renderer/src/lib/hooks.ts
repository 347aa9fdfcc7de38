import { useEffect, useState, type FormEvent } from 'react';
import type { ErrorCode } from '../../../main/api';
import { isCode } from './errors';

/** Seconds left until `deadline` (ms since epoch), ticking once a second; null when none. */
export function useCountdown(deadline: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [deadline]);
  return deadline === null ? null : Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** One form action: busy while it runs, its failure kept for ErrorNotice. `run` answers whether
 * the work succeeded; `submit` wraps it as a form's onSubmit. A failure with the `inline` code
 * (a wrong password, shown beside its field) sets `wrong` instead of `error`. Work may also catch
 * an error it handles itself and rethrow the rest. */
export function useAction({ inline }: { inline?: ErrorCode } = {}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [wrong, setWrong] = useState(false);
  const run = async (work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    setWrong(false);
    try {
      await work();
      return true;
    } catch (err) {
      if (inline && isCode(err, inline)) setWrong(true);
      else setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const submit = (work: () => Promise<unknown>) => (e: FormEvent) => {
    e.preventDefault();
    void run(work);
  };
  return { busy, error, setError, wrong, setWrong, run, submit };
}
