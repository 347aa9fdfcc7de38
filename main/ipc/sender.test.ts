import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './sender';

describe('isTrustedSender', () => {
  it('trusts the app protocol page', () => {
    expect(isTrustedSender('app://keyhold/index.html', undefined)).toBe(true);
  });
  it('refuses remote pages, file URLs, other app hosts and garbage', () => {
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', 'not a url', '', undefined]) {
      expect(isTrustedSender(url, undefined)).toBe(false);
    }
  });
  it('trusts the dev server only on loopback and only its own origin', () => {
    expect(isTrustedSender('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isTrustedSender('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isTrustedSender('http://evil.example:5173/', 'http://evil.example:5173')).toBe(false);
  });
});
