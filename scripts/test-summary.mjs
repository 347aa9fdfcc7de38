// Prints CI's closing line `N passed, N failed` from vitest's and Playwright's JSON reports, and
// exits non-zero when anything failed, a report is missing, or no test ran at all.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const reports = join(process.cwd(), 'reports');
let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

const vitestFile = join(reports, 'vitest.json');
if (existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += (v.numFailedTests ?? 0) + (v.numFailedTestSuites ?? 0) - countSuiteFailuresWithTests(v);
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
} else problems.push('no vitest report (unit tests did not run)');

// A suite that failed to load counts as a failure even though none of its tests ran.
function countSuiteFailuresWithTests(v) {
  return (v.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).some((a) => a.status === 'failed')).length;
}

const pwFile = join(reports, 'playwright.json');
if (existsSync(pwFile)) {
  const p = JSON.parse(readFileSync(pwFile, 'utf8'));
  const s = p.stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
  if ((p.errors ?? []).length) {
    failed += p.errors.length;
    problems.push(`playwright reported ${p.errors.length} error(s) outside tests`);
  }
} else problems.push('no playwright report (e2e specs did not run)');

for (const p of problems) console.log(`test-summary: ${p}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 || problems.length > 0 ? 1 : 0);
