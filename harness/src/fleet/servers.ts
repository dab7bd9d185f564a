/**
 * The servers the harness knows: their names, entry points, default ports and the settings the
 * harness starts them with. Each runs as its own process (`node servers/<name>/dist/main.js`);
 * the harness never imports them, it talks to them over MCP and reads their `/metrics`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../shared/errors.js';

export const SERVER_NAMES = ['cart', 'workspace', 'browser'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

/** The fixed ports of `serve` (and the servers' own defaults); `run` uses free ones. */
export const DEFAULT_PORTS = { cart: 3101, workspace: 3102, browser: 3103, site: 4173 } as const;
export type PortName = keyof typeof DEFAULT_PORTS;

/** The command-line flag that sets each port, named in "port taken" messages. */
export const portFlag = (name: PortName) => `--${name}-port`;

/** The repository root: this file is `harness/src/fleet/servers.ts` or `harness/dist/fleet/servers.js`. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * A server's entry point: its bundle (`dist/main.bundle.js`, one file, what `npm start` runs), or
 * with `'modules'` the compiled modules it was bundled from (`dist/main.js`, the same program).
 */
export function serverEntry(name: ServerName, form: 'bundle' | 'modules' = 'bundle'): string {
  const entry = join(REPO_ROOT, 'servers', name, 'dist', form === 'bundle' ? 'main.bundle.js' : 'main.js');
  if (!existsSync(entry)) {
    throw new UsageError(
      `the ${name} server is not built (${entry} is missing): run "npm run build" at the repository root`,
    );
  }
  return entry;
}

export function isServerName(name: string): name is ServerName {
  return (SERVER_NAMES as readonly string[]).includes(name);
}

export function assertServerName(name: string, where: string): ServerName {
  if (isServerName(name)) return name;
  throw new UsageError(`unknown server "${name}" in ${where}: expected one of ${SERVER_NAMES.join(', ')}`);
}

/**
 * Settings beyond the embedded defaults, so one user can run a 32-subagent sweep: enough handle
 * quota per user and enough live browser contexts per instance that none is evicted mid-run.
 */
export function serverSettings(name: ServerName, siteOrigin: string): Record<string, string> {
  switch (name) {
    case 'cart':
      return { CART_QUOTA: '1000' };
    case 'workspace':
      return { WORKSPACE_QUOTA: '1000' };
    case 'browser':
      return { BROWSER_ALLOWED_ORIGINS: siteOrigin, BROWSER_QUOTA: '1000', BROWSER_MAX_LIVE: '80' };
  }
}
