/**
 * Test helpers: the demo storefront in the test process; the browser server in the test process
 * too (its real MCP handler and a real Chromium, a real SQLite file, a test clock) for tool
 * behaviour, or as real processes sharing one data directory where the claim is about processes;
 * and process-tree inspection to prove no Chromium is left behind.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { signDevToken } from '@sessionless/kit';
import {
  serveInProcess,
  startServerProcess,
  tempDir,
  type InProcessApp,
  type ServerProcess,
  type StoreDialect,
} from '@sessionless/kit/testing';
import { startDemoSite, type DemoSite } from '@sessionless/scenarios/site';
import { expect } from 'vitest';
import {
  browserConfigSchema,
  browserMigrations,
  createBrowserDeps,
  createBrowserServer,
  browserTools,
  findChromium,
  type BrowserDeps,
} from '../src/index.js';

/** The bundle `npm start` runs (the project's global set-up builds it first). */
export const ENTRY = fileURLToPath(new URL('../dist/main.bundle.js', import.meta.url));
export const SECRET = 'browser-tests-secret-that-is-long-enough-for-hs256';
export const AUDIENCE = 'sessionless-browser';

/** A token this server accepts: signed with SECRET, for its audience (`options` may override either). */
export function tokenFor(subject: string, options: Parameters<typeof signDevToken>[2] = {}): Promise<string> {
  return signDevToken(SECRET, subject, { audience: AUDIENCE, ...options });
}

export interface InProcessBrowsers extends InProcessApp<BrowserDeps> {
  site: DemoSite;
}

/**
 * The browser server wired as `main.ts` wires it, answering in this process, with the storefront
 * (and `alsoAllow`) on its navigation allow-list: its own storefront, or `shared` (left running).
 */
export async function browserInProcess(
  env: Record<string, string> = {},
  alsoAllow: string[] = [],
  store: StoreDialect = 'sqlite',
  shared?: DemoSite,
): Promise<InProcessBrowsers> {
  const site = shared ?? (await startDemoSite());
  const app = await serveInProcess({
    name: 'browser',
    schema: browserConfigSchema,
    store,
    env: { BROWSER_ALLOWED_ORIGINS: [site.origin, ...alsoAllow].join(','), ...env },
    migrations: browserMigrations,
    deps: async (runtime, config) => createBrowserDeps(runtime, config, await findChromium(config.CHROMIUM_PATH)),
    tools: browserTools,
    factory: (tools, config) => createBrowserServer(tools, config.LIST_TTL),
    close: (deps) => deps.close(),
  });
  return {
    ...app,
    site,
    async close() {
      await app.close();
      if (!shared) await site.close();
    },
  };
}

export interface BrowserFixture {
  site: DemoSite;
  servers: ServerProcess[];
  dataDir: string;
  start(): Promise<ServerProcess>;
  stop(): Promise<void>;
}

export async function startBrowsers(env: Record<string, string> = {}, count = 1): Promise<BrowserFixture> {
  const site = await startDemoSite();
  const dir = tempDir('browser-test-');
  const start = () =>
    startServerProcess({
      entry: ENTRY,
      env: { DATA_DIR: dir.path, SWEEP_INTERVAL: '1h', BROWSER_ALLOWED_ORIGINS: site.origin, ...env },
    });
  const servers = await Promise.all(Array.from({ length: count }, start));
  return {
    site,
    servers,
    dataDir: dir.path,
    async start() {
      const server = await start();
      servers.push(server);
      return server;
    },
    async stop() {
      await Promise.all(servers.map((server) => server.stop()));
      await site.close();
      dir.remove();
    },
  };
}

/** The ref of the first element with this role and exact name in a snapshot. */
export function refOf(snapshot: string, role: string, name: string): string {
  const line = snapshot.split('\n').find((l) => l.includes(`- ${role} "${name}"`) && l.includes('[ref='));
  const ref = /\[ref=(f?\d*e\d+)\]/.exec(line ?? '')?.[1];
  expect(ref, `${role} "${name}" in:\n${snapshot}`).toBeDefined();
  return ref!;
}

/** Every process below `pid` (Chromium and its helpers, when `pid` is a browser server). */
export function descendants(pid: number): number[] {
  let listing = '';
  try {
    listing = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are none
  }
  const children = listing
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((n) => n > 0);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim()[0] !== 'Z';
  } catch {
    return false;
  }
}

export async function scrape(server: ServerProcess, name: string, label?: string): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) && (!label || line.includes(label)))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

// Result assertions and raw requests are shared by every server's tests.
export {
  MODERN_META,
  ok,
  raw,
  rawModern,
  toolError,
  type RawResponse,
  type ToolResult,
} from '@sessionless/kit/testing';
