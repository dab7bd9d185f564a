/**
 * The micro-benchmark's targets, one entry each: the process to start and what each of its calls
 * is. Adding a target is adding an entry: a server's entry point with its environment (a setting
 * that switches a serving path is one more entry on the same server), and the workload to drive.
 */
import { baselineEntry } from '../../fleet/baselines.js';
import { serverEntry } from '../../fleet/servers.js';
import type { Caller } from '../engine/calls.js';
import { CartAddsWorkload } from '../workloads/cart-adds.js';
import { EchoWorkload } from '../workloads/echo.js';
import { SessionCartWorkload } from '../workloads/session-cart.js';
import { BROWSER_LISTS, ReadsWorkload, WORKSPACE_READS } from '../workloads/reads.js';
import { ListingWorkload, type ListingMethod } from '../workloads/listing.js';
import type { Workload } from '../workloads/workload.js';

/** What a target's process and workload are given. */
export interface BenchContext {
  /** HS256 secret of the servers that check tokens, and a token it signed. */
  secret: string;
  token: string;
  /** A fresh data directory of the target's own. */
  dataDir: string;
  agents: number;
  /** Where the target listens: its MCP endpoint and its origin (for /metrics). */
  url: string;
  origin: string;
}

export interface BenchTarget {
  /** Names the target on the command line (`--target`) and in reports. */
  name: string;
  /** One line for the table: what serves, and what each call is. */
  label: string;
  /**
   * The entry point to run with `node` (throws a UsageError when it is not built). Our servers run
   * as their bundle, or as their compiled modules when profiled: a profile names each function's
   * file, which tells the SDK, the kit and the tool apart only when they are separate files.
   */
  entry: (form?: 'bundle' | 'modules') => string;
  /** Environment beyond PORT and HOST. */
  env: (context: Omit<BenchContext, 'url' | 'origin'>) => Record<string, string>;
  /** The route name the workload sends its calls to. */
  server: string;
  workload: (caller: Caller, context: BenchContext) => Workload;
}

const withAuth = ({ secret }: { secret: string }) => ({ JWT_SECRET: secret, AUTH_MODE: 'jwt' });
/** A server of this repository: auth on, its store in the target's own data directory. */
const ourServer = (context: { secret: string; dataDir: string }) => ({
  ...withAuth(context),
  DATA_DIR: context.dataDir,
});
/** The same server with every request through the SDK's handler: the lean path's baseline. */
const sdkPath =
  (env: BenchTarget['env']): BenchTarget['env'] =>
  (context) => ({ ...env(context), LEAN_PATH: 'off' });
const listing =
  (method: ListingMethod) =>
  (caller: Caller, { agents, token }: BenchContext) =>
    new ListingWorkload(caller, agents, { server: 'cart', method, token });
const echo = (caller: Caller, { agents, token }: BenchContext) =>
  new EchoWorkload(caller, agents, { server: 'baseline', token });

export const BENCH_TARGETS: readonly BenchTarget[] = [
  {
    name: 'raw',
    label: 'raw node:http JSON-RPC responder (the ceiling)',
    entry: () => baselineEntry('raw'),
    env: () => ({}),
    server: 'baseline',
    workload: echo,
  },
  {
    name: 'echo',
    label: "the SDK's stock stateless echo (a McpServer per request)",
    entry: () => baselineEntry('echo'),
    env: () => ({}),
    server: 'baseline',
    workload: echo,
  },
  {
    name: 'kit-echo',
    label: 'the same echo served through the kit (auth on)',
    entry: () => baselineEntry('kit-echo'),
    env: withAuth,
    server: 'baseline',
    workload: echo,
  },
  {
    name: 'cart_add_item',
    label: 'cart_add_item on the cart server (auth on, SQLite)',
    entry: (form) => serverEntry('cart', form),
    env: ourServer,
    server: 'cart',
    workload: (caller, { agents, url, origin, token }) =>
      new CartAddsWorkload(caller, agents, { server: 'cart', url, origin, token }),
  },
  {
    name: 'cart_add_item@sdk',
    label: 'the same, LEAN_PATH=off: every request through the SDK handler',
    entry: (form) => serverEntry('cart', form),
    env: sdkPath(ourServer),
    server: 'cart',
    workload: (caller, { agents, url, origin, token }) =>
      new CartAddsWorkload(caller, agents, { server: 'cart', url, origin, token }),
  },
  {
    name: 'session-cart',
    label: "the session-scoped cart's add (2025-11-25, a session per agent)",
    entry: () => baselineEntry('session-cart'),
    env: () => ({}),
    server: 'session-cart',
    workload: (caller, { agents }) => new SessionCartWorkload(caller, agents, { reads: false }),
  },
  {
    name: 'tools/list',
    label: 'tools/list on the cart server (auth on, no cache)',
    entry: (form) => serverEntry('cart', form),
    env: ourServer,
    server: 'cart',
    workload: listing('tools/list'),
  },
  {
    name: 'tools/list@sdk',
    label: 'the same, LEAN_PATH=off',
    entry: (form) => serverEntry('cart', form),
    env: sdkPath(ourServer),
    server: 'cart',
    workload: listing('tools/list'),
  },
  {
    name: 'server/discover',
    label: 'server/discover on the cart server (auth on, no cache)',
    entry: (form) => serverEntry('cart', form),
    env: ourServer,
    server: 'cart',
    workload: listing('server/discover'),
  },
  {
    name: 'server/discover@sdk',
    label: 'the same, LEAN_PATH=off',
    entry: (form) => serverEntry('cart', form),
    env: sdkPath(ourServer),
    server: 'cart',
    workload: listing('server/discover'),
  },
  {
    name: 'workspace_read_file',
    label: 'workspace_read_file of a 1 KiB file (auth on, SQLite)',
    entry: (form) => serverEntry('workspace', form),
    env: ourServer,
    server: 'workspace',
    workload: (caller, { agents, url, origin, token }) =>
      new ReadsWorkload(caller, agents, { server: 'workspace', url, origin, token }, WORKSPACE_READS),
  },
  {
    name: 'workspace_read_file@sdk',
    label: 'the same, LEAN_PATH=off',
    entry: (form) => serverEntry('workspace', form),
    env: sdkPath(ourServer),
    server: 'workspace',
    workload: (caller, { agents, url, origin, token }) =>
      new ReadsWorkload(caller, agents, { server: 'workspace', url, origin, token }, WORKSPACE_READS),
  },
  {
    name: 'browser_list',
    label: 'browser_list on the browser server (auth on, SQLite; Chromium not launched)',
    entry: (form) => serverEntry('browser', form),
    env: ourServer,
    server: 'browser',
    workload: (caller, { agents, url, origin, token }) =>
      new ReadsWorkload(caller, agents, { server: 'browser', url, origin, token }, BROWSER_LISTS),
  },
  {
    name: 'browser_list@sdk',
    label: 'the same, LEAN_PATH=off',
    entry: (form) => serverEntry('browser', form),
    env: sdkPath(ourServer),
    server: 'browser',
    workload: (caller, { agents, url, origin, token }) =>
      new ReadsWorkload(caller, agents, { server: 'browser', url, origin, token }, BROWSER_LISTS),
  },
];

export const BENCH_TARGET_NAMES = BENCH_TARGETS.map((t) => t.name);
