import { describe, expect, it } from 'vitest';
import { ACTIVITY_INTERVAL_MS, throttle } from './activity';

describe('activity throttle', () => {
  it('tells main on the first input, then at most once per 30 s however busy the mouse is', () => {
    let t = 1_000;
    let calls = 0;
    const poke = throttle(
      ACTIVITY_INTERVAL_MS,
      () => calls++,
      () => t,
    );
    poke();
    expect(calls).toBe(1);
    for (let i = 0; i < 1000; i++) {
      t += 29; // a pointermove every 29 ms for 29 s
      poke();
    }
    expect(calls).toBe(1);
    t = 1_000 + ACTIVITY_INTERVAL_MS;
    poke();
    expect(calls).toBe(2);
    poke();
    expect(calls).toBe(2);
  });

  it('uses a 30 s interval', () => {
    expect(ACTIVITY_INTERVAL_MS).toBe(30_000);
  });
});
