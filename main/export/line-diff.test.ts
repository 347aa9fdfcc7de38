import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './line-diff';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `l${i + 1}`);

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('gives separate hunks with 3 lines of context for far-apart changes', () => {
    const a = lines(20);
    const b = [...a];
    b[1] = 'X';
    b.splice(15, 0, 'NEW');
    expect(unifiedDiff(`${a.join('\n')}\n`, `${b.join('\n')}\n`, { oldLabel: 'f', newLabel: 'f' })).toBe(
      [
        '--- f',
        '+++ f',
        '@@ -1,5 +1,5 @@',
        ' l1',
        '-l2',
        '+X',
        ' l3',
        ' l4',
        ' l5',
        '@@ -13,6 +13,7 @@',
        ' l13',
        ' l14',
        ' l15',
        '+NEW',
        ' l16',
        ' l17',
        ' l18',
        '',
      ].join('\n'),
    );
  });

  it('shows lines through display while comparing the real text', () => {
    const d = unifiedDiff('pw 1\n', 'pw 2\n', { display: (t) => t.replace(/\d/g, '*') });
    expect(d).toBe('--- before\n+++ after\n@@ -1,1 +1,1 @@\n-pw *\n+pw *\n');
  });

  it('handles a file created from nothing', () => {
    expect(unifiedDiff('', 'a\n')).toBe('--- before\n+++ after\n@@ -0,0 +1,1 @@\n+a\n');
  });
});
