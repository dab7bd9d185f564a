/**
 * Running the k6 scripts in scenarios/k6/: finding `k6` on PATH (and saying how to install it when
 * it is missing, before anything starts), resolving a script name, and running `k6 run` with the
 * servers' URLs in its environment. k6's thresholds are the gate: its exit code is the verdict,
 * and `--summary-export` gives the numbers for the report.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { REPO_ROOT } from '../fleet/servers.js';
import { UsageError } from '../shared/errors.js';

export const K6_DIR = join(REPO_ROOT, 'scenarios', 'k6');

export const K6_INSTALL_HINT =
  'k6 is not on PATH, so nothing was started: install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/), ' +
  'e.g. "brew install k6", "winget install k6", the Debian/Ubuntu apt repository or the grafana/k6 Docker image, ' +
  'then run this again.';

/** The executable `k6` on PATH, or null. */
export function findK6(pathEnv: string | undefined = process.env.PATH): string | null {
  const names = process.platform === 'win32' ? ['k6.exe'] : ['k6'];
  // An empty PATH entry means the current directory; never run a k6 found only there.
  for (const dir of (pathEnv ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The scripts in scenarios/k6/ (`cart`, `scale-out`, ...); lib/ holds their shared modules. */
export function k6ScriptNames(): string[] {
  return readdirSync(K6_DIR)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

/** `cart` -> scenarios/k6/cart.ts; a path (anything with a slash or an extension) is used as it is. */
export function k6ScriptPath(nameOrPath: string): string {
  const names = k6ScriptNames();
  if (names.includes(nameOrPath)) return join(K6_DIR, `${nameOrPath}.ts`);
  if (/[/\\]|\.[cm]?[jt]s$/.test(nameOrPath)) {
    const path = isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath);
    if (isFile(path)) return path;
    throw new UsageError(`k6 script ${path} does not exist`);
  }
  throw new UsageError(
    `unknown k6 script "${nameOrPath}": use one of ${names.join(', ')} (from ${K6_DIR}), or a path to a script`,
  );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export interface K6RunOptions {
  /** The k6 executable, from `findK6`. */
  k6: string;
  script: string;
  /** Added to this process's environment: CART_URL, MCP_TOKEN, ... */
  env?: Record<string, string>;
  /** Where k6 writes its end-of-test summary (`--summary-export`). */
  summaryFile: string;
  /** k6's output as it arrives; its progress and summary are for people, so pass them on. */
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
}

/** The `--summary-export` JSON: metric name -> its values (count, rate, p(99), ...) and thresholds. */
export interface K6Summary {
  metrics: Record<string, Record<string, unknown> & { thresholds?: Record<string, boolean> }>;
  [key: string]: unknown;
}

export interface K6Result {
  /** k6's exit code (0 passed, 99 a threshold failed, ...), or null when a signal ended it. */
  exitCode: number | null;
  summary: K6Summary | null;
}

export function runK6({ k6, script, env = {}, summaryFile, onOutput }: K6RunOptions): Promise<K6Result> {
  // A summary left over from an earlier run must not pass for this run's.
  rmSync(summaryFile, { force: true });
  const child = spawn(k6, ['run', '--summary-export', summaryFile, script], {
    // k6 reports anonymous usage to Grafana unless told not to; a local harness run should not.
    env: { ...process.env, K6_NO_USAGE_REPORT: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.setEncoding('utf8').on('data', (text: string) => onOutput?.(text, 'stdout'));
  child.stderr.setEncoding('utf8').on('data', (text: string) => onOutput?.(text, 'stderr'));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (exitCode) => done({ exitCode, summary: readSummary(summaryFile) }));
  });
}

function readSummary(file: string): K6Summary | null {
  try {
    const summary = JSON.parse(readFileSync(file, 'utf8')) as K6Summary;
    return typeof summary.metrics === 'object' && summary.metrics !== null ? summary : null;
  } catch {
    return null;
  }
}

/** The thresholds that failed, as `metric: expression`. In the export `true` means failed. */
export function failedThresholds(summary: K6Summary): string[] {
  return Object.entries(summary.metrics).flatMap(([metric, values]) =>
    Object.entries(values.thresholds ?? {})
      .filter(([, failed]) => failed)
      .map(([expression]) => `${metric}: ${expression}`),
  );
}

/** What k6's own exit codes mean, for the one line the CLI prints. */
export function describeK6Exit(exitCode: number | null): string {
  if (exitCode === null) return 'k6 was stopped by a signal';
  const meanings: Record<number, string> = {
    0: 'every threshold passed',
    99: 'a threshold failed',
    107: 'the script threw an error',
    108: 'the script aborted the test (setup found a problem)',
    110: 'the script marked the test as failed',
  };
  return meanings[exitCode] ?? `k6 exited with code ${exitCode}`;
}
