// @ts-check
// `npm run demo`: the quick-start demo. Installs and builds if needed, then runs the flagship
// shopping-team scenario with the harness: it starts the cart, workspace and browser servers and
// the demo storefront on loopback, runs an orchestrator and three subagents under both client
// policies (session-era and sessionless) and prints the comparison. Exits non-zero if any of the
// scenario's own checks fails.
import { spawnSync } from 'node:child_process';
import { ensureSetup, root } from './setup.mjs';

process.env.TURBO_TELEMETRY_DISABLED = '1';

ensureSetup();
const harness = spawnSync(
  process.execPath,
  [`${root}/harness/dist/cli.js`, 'run', 'shopping-team', '--subagents', '3', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
process.exit(harness.status ?? 1);
