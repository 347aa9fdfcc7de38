// Auto-lock counts the user's presence, not only IPC calls: reading a key's detail or moving the
// mouse is use too. Keyboard and pointer events tell main, at most once per interval, so a busy
// mouse does not become a stream of IPC calls.
import { useEffect } from 'react';
import { call } from '../api';

export const ACTIVITY_INTERVAL_MS = 30_000;
const EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;

/** Calls `fn` on the first `poke()` and then at most once per `intervalMs`. */
export function throttle(intervalMs: number, fn: () => void, now: () => number = Date.now): () => void {
  let last = -Infinity;
  return () => {
    const t = now();
    if (t - last < intervalMs) return;
    last = t;
    fn();
  };
}

/** While mounted (the unlocked screen), user input restarts main's auto-lock timer. */
export function useActivityPing(intervalMs = ACTIVITY_INTERVAL_MS): void {
  useEffect(() => {
    const poke = throttle(intervalMs, () => void call('vault.activity', {}).catch(() => undefined));
    for (const e of EVENTS) window.addEventListener(e, poke, { passive: true, capture: true });
    return () => {
      for (const e of EVENTS) window.removeEventListener(e, poke, { capture: true });
    };
  }, [intervalMs]);
}
