/**
 * The comparison processes the harness starts besides the reference servers: the raw node:http
 * ceiling, the SDK's stock echo and the same echo served through the kit (from bench/), and the
 * session-scoped cart (servers/session-cart). Each is an entry point run with `node`, there once
 * the repository is built.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../shared/errors.js';
import { REPO_ROOT } from './servers.js';

export const BASELINE_ENTRIES = {
  raw: join(REPO_ROOT, 'bench', 'dist', 'targets', 'raw-ceiling.js'),
  echo: join(REPO_ROOT, 'bench', 'dist', 'targets', 'sdk-echo.js'),
  'kit-echo': join(REPO_ROOT, 'bench', 'dist', 'targets', 'kit-echo.js'),
  'session-cart': join(REPO_ROOT, 'servers', 'session-cart', 'dist', 'main.bundle.js'),
};

export type Baseline = keyof typeof BASELINE_ENTRIES;

/** Fails before anything starts when a baseline is not built, naming the file and the fix. */
export function assertBaselinesBuilt(names: readonly Baseline[]): void {
  for (const name of names) baselineEntry(name);
}

/** A baseline's entry point; a missing one is a sentence naming the file and the fix. */
export function baselineEntry(name: Baseline): string {
  const entry = BASELINE_ENTRIES[name];
  if (!existsSync(entry)) {
    throw new UsageError(
      `the ${name} baseline is not built (${entry} is missing): run "npm run build" at the repository root`,
    );
  }
  return entry;
}
