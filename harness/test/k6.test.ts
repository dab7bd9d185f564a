/**
 * The harness side of the k6 scripts: a missing k6 is one clear sentence (and nothing starts),
 * script names resolve to scenarios/k6/, and `runK6` passes the script, the summary file and the
 * environment to k6 and hands back its exit code and summary.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeK6Exit, failedThresholds, findK6, K6_INSTALL_HINT, k6ScriptPath, runK6 } from '../src/scale/k6.js';
import { UsageError } from '../src/shared/errors.js';
import { REPO_ROOT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'harness-k6-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A stand-in for k6: it records its argv and environment, prints a line on each stream, writes a
 * summary and exits with FAKE_K6_EXIT. Used only because k6 cannot be installed on the machines
 * this suite runs on; the scripts themselves are checked by `tsc -p scenarios/k6/tsconfig.json`.
 */
function fakeK6(binDir: string): string {
  mkdirSync(binDir, { recursive: true });
  const path = join(binDir, 'k6');
  writeFileSync(
    path,
    `#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_K6_RECORD"
printf 'CART_URL=%s\\nK6_NO_USAGE_REPORT=%s\\n' "$CART_URL" "$K6_NO_USAGE_REPORT" >> "$FAKE_K6_RECORD"
echo "running $4"
echo "progress" >&2
[ -n "$FAKE_K6_NO_SUMMARY" ] || printf '%s' '{"metrics":{"cart_errors":{"value":0,"thresholds":{"rate==0":false}},"cart_units_unaccounted":{"count":2,"thresholds":{"count==0":true}}}}' > "$3"
exit "\${FAKE_K6_EXIT:-0}"
`,
  );
  chmodSync(path, 0o755);
  return path;
}

describe('findK6', () => {
  it('returns null when no PATH directory holds k6, and the hint says how to install it', () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(findK6(empty)).toBeNull();
    expect(findK6('')).toBeNull();
    expect(K6_INSTALL_HINT).toMatch(/not on PATH/);
    expect(K6_INSTALL_HINT).toContain('https://grafana.com/docs/k6/latest/set-up/install-k6/');
    expect(K6_INSTALL_HINT).toMatch(/brew install k6/);
    expect(K6_INSTALL_HINT).toMatch(/nothing was started/);
  });

  it.skipIf(process.platform === 'win32')('finds an executable k6 and skips a file that is not executable', () => {
    const notExecutable = join(dir, 'plain');
    mkdirSync(notExecutable);
    writeFileSync(join(notExecutable, 'k6'), 'not a program');
    const k6 = fakeK6(join(dir, 'bin-find'));
    expect(findK6(notExecutable)).toBeNull();
    expect(findK6([notExecutable, join(dir, 'bin-find')].join(delimiter))).toBe(k6);
  });
});

describe('k6ScriptPath', () => {
  it('resolves the script names to scenarios/k6/<name>.ts', () => {
    expect(k6ScriptPath('cart')).toBe(join(REPO_ROOT, 'scenarios', 'k6', 'cart.ts'));
    expect(k6ScriptPath('scale-out')).toBe(join(REPO_ROOT, 'scenarios', 'k6', 'scale-out.ts'));
  });

  it('takes a path to a script as it is', () => {
    const script = join(dir, 'mine.ts');
    writeFileSync(script, 'export default function () {}\n');
    expect(k6ScriptPath(script)).toBe(script);
  });

  it('refuses an unknown name with the scripts there are, and a missing file with its path', () => {
    expect(() => k6ScriptPath('carts')).toThrow(UsageError);
    expect(() => k6ScriptPath('carts')).toThrow(/unknown k6 script "carts": use one of cart, scale-out/);
    expect(() => k6ScriptPath('lib')).toThrow(/unknown k6 script "lib"/);
    expect(() => k6ScriptPath(join(dir, 'nope.ts'))).toThrow(/nope\.ts does not exist/);
  });
});

describe.skipIf(process.platform === 'win32')('runK6', () => {
  const k6 = fakeK6(join(dir, 'bin-run'));
  const record = join(dir, 'record.txt');
  const summaryFile = join(dir, 'summary.json');

  it('runs "k6 run --summary-export FILE SCRIPT" with the env and returns exit code and summary', async () => {
    const output: string[] = [];
    const result = await runK6({
      k6,
      script: k6ScriptPath('cart'),
      summaryFile,
      env: { CART_URL: 'http://127.0.0.1:9/mcp', FAKE_K6_RECORD: record, FAKE_K6_EXIT: '99' },
      onOutput: (text, stream) => output.push(`${stream}: ${text.trim()}`),
    });
    expect(readFileSync(record, 'utf8').split('\n')).toEqual([
      'run',
      '--summary-export',
      summaryFile,
      k6ScriptPath('cart'),
      'CART_URL=http://127.0.0.1:9/mcp',
      'K6_NO_USAGE_REPORT=true',
      '',
    ]);
    expect(output).toEqual(expect.arrayContaining([`stdout: running ${k6ScriptPath('cart')}`, 'stderr: progress']));
    expect(result.exitCode).toBe(99);
    expect(result.summary?.metrics.cart_units_unaccounted).toEqual({ count: 2, thresholds: { 'count==0': true } });
    expect(failedThresholds(result.summary!)).toEqual(['cart_units_unaccounted: count==0']);
    expect(describeK6Exit(result.exitCode)).toBe('a threshold failed');
  });

  it('returns a null summary when k6 wrote none, even if an earlier run left one behind', async () => {
    writeFileSync(summaryFile, '{"metrics":{}}');
    const result = await runK6({
      k6,
      script: k6ScriptPath('cart'),
      summaryFile,
      env: { FAKE_K6_RECORD: record, FAKE_K6_NO_SUMMARY: '1', FAKE_K6_EXIT: '108' },
    });
    expect(result).toEqual({ exitCode: 108, summary: null });
  });

  it('rejects when the k6 executable cannot be started', async () => {
    await expect(runK6({ k6: join(dir, 'missing', 'k6'), script: 'x.ts', summaryFile })).rejects.toThrow(/ENOENT/);
  });
});
