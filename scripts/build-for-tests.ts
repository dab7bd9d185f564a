// Vitest global set-up for the projects whose tests start the built servers and CLI as processes
// (the bundles `npm start` and the harness run): build whatever changed first, so a test never
// runs stale code. Turbo skips what is up to date, which costs about 0.1 s.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { root } from './setup.mjs';

export default function setup(): void {
  const turbo = `${root}/node_modules/.bin/turbo`;
  if (!existsSync(turbo)) throw new Error('dependencies are not installed: run `npm test` (or `npm ci`) first');
  execFileSync(turbo, ['run', 'build', '--output-logs=errors-only'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
}
