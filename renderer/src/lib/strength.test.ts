import { describe, expect, it } from 'vitest';
import { estimateStrength } from './strength';

describe('estimateStrength', () => {
  it('calls an empty password empty and short or common ones weak', () => {
    expect(estimateStrength('').score).toBe(0);
    expect(estimateStrength('abc').label).toBe('Weak');
    expect(estimateStrength('password123').score).toBeLessThanOrEqual(2);
    expect(estimateStrength('aaaaaaaaaaaaaaaaaaaa').label).toBe('Weak');
  });
  it('rates a long passphrase of unrelated words as strong', () => {
    expect(estimateStrength('correct horse battery staple').score).toBeGreaterThanOrEqual(3);
  });
  it('rises with length and variety', () => {
    expect(estimateStrength('Tr0ub4dor&3x!').bits).toBeGreaterThan(estimateStrength('troubadour').bits);
  });
});
