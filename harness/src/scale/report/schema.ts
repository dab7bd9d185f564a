/**
 * The scale-out report: one stable JSON shape (`schema: "sessionless-harness/scale@1"`) from
 * which the terminal table, the Markdown summary and the HTML page are rendered. Every run is a
 * row: a target (the scenario's workload, the session-scoped baseline cart, or a baseline
 * responder) at K instances behind one routing. Fields are only ever added within a schema
 * version; renaming or removing one bumps it.
 */
import type { Topology } from '../../fleet/hosts.js';
import type { Machine } from '../../shared/machine.js';
import type { Routing } from '../routings.js';
import type { Store } from '../stores.js';

export const SCALE_SCHEMA = 'sessionless-harness/scale@1';

/**
 * `workload:<name>`: the scenario's tool workload on the sessionless servers; `session-cart`:
 * the session-scoped baseline cart; `raw` and `echo`: the ceiling and the stock SDK echo.
 */
export type Target = `workload:${string}` | 'session-cart' | 'raw' | 'echo';

export interface Latency {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

export interface ToolStats {
  /** Calls that got an answer counted as success. */
  ok: number;
  /** Calls that failed for good (after any retries). */
  failed: number;
  latencyMs: Latency;
}

export interface Invariant {
  /** What must hold, e.g. "cart quantities equal acknowledged adds". */
  name: string;
  ok: boolean;
  /** The numbers behind the verdict, one sentence. */
  detail: string;
}

export interface Failover {
  /** Seconds into the measured window when the instance was killed (SIGKILL). */
  killedAtSeconds: number;
  /** The instance killed (0-based), and the pids of its processes. */
  instance: number;
  pids: number[];
  /** Attempts that failed because their instance was gone, by kind (connection refused, reset, 502...). */
  failedAttempts: Record<string, number>;
  /** Calls retried on another instance, and how many of those then succeeded. */
  retried: number;
  retriedOk: number;
  /** Calls not retried (not idempotent, no idempotency key) that failed for good. */
  notRetried: number;
  /** Every instance killed: with --hosts, all of one host's, and that host (1-based). */
  instances?: number[];
  host?: number | null;
}

/** PostgreSQL restarted mid-window (fast shutdown: open connections cut), and what that cost the calls. */
export interface DatabaseRestart {
  restartedAtSeconds: number;
  /** How long `pg_ctl restart` took: the database refused connections for at most this long. */
  tookMs: number;
  /** Attempts refused meanwhile, by kind ("tool error STORE_UNAVAILABLE", "... (applied unknown)"). */
  failedAttempts: Record<string, number>;
  retried: number;
  retriedOk: number;
  /** Calls not sent again because the refusal said "applied unknown" and the call is not safe to repeat. */
  notRetried: number;
}

/** One measured run; `T` widens the target's name for the micro-benchmark's windows (bench-schema.ts). */
export interface ScaleRun<T extends string = Target> {
  target: T;
  instances: number;
  routing: Routing;
  /** Virtual agents (closed loop) or null for an open-loop run. */
  agents: number | null;
  /** Requests started per second in an open-loop run, else null. */
  rate: number | null;
  /** Length of the measured window. */
  seconds: number;
  /** Tool calls that succeeded, and per second over the window. */
  succeeded: number;
  throughput: number;
  /** Per-instance throughput (throughput / instances). */
  perInstance: number;
  latencyMs: Latency;
  /** Calls that failed for good, by kind ("session not found", "HTTP 502", "tool error CART_NOT_FOUND"...). */
  errors: Record<string, number>;
  byTool: Record<string, ToolStats>;
  cpu: {
    /** Server processes (and their children, e.g. Chromium), in % of one core over the window. */
    serversPct: number;
    /** Server CPU milliseconds per successful call. */
    serverMsPerCall: number | null;
    /** This load generator, in % of one core. */
    loadGeneratorPct: number;
    /** nginx master and workers when routed through nginx, else null. */
    balancerPct: number | null;
    /** The whole machine, in % of one core (100 x cpus when saturated). */
    machinePct: number;
    /** The PostgreSQL server (postmaster and backends) when the run started it, else null or absent. */
    databasePct?: number | null;
    databaseMsPerCall?: number | null;
  };
  /** Browser calls served from a live context (warm) or rebuilt from the store (rehydrated). */
  browser: { warm: number; rehydrated: number } | null;
  failover: Failover | null;
  /** Where the servers kept their state; absent in reports from before PostgreSQL (SQLite). */
  store?: Store;
  /** Simulated hosts the instances were spread over (--hosts); null or absent: loopback. */
  hosts?: number | null;
  databaseRestart?: DatabaseRestart | null;
  invariants: Invariant[];
  /** A baseline run that is meant to show a failure (session cart behind round-robin). */
  expectedToFail: boolean;
  /** Zero errors and every invariant held (for expectedToFail runs: the failure was shown). */
  ok: boolean;
  /** One sentence when the run could not be done at all (e.g. nginx missing); the rest is empty. */
  skipped: string | null;
}

/** The store's own write rate under the cart's add, measured without any MCP or HTTP around it. */
export interface StoreCeiling {
  /** Single writer. */
  writesPerSecond: number;
  /** Two processes writing to the same file at once (WAL, busy_timeout), combined. */
  twoWritersPerSecond: number;
  seconds: number;
}

/**
 * PostgreSQL's own rate for the cart's keyed add, measured like SQLite's: one connection, then
 * `connections` processes with one connection each at once, and what the database server spent.
 */
export interface PostgresCeiling {
  oneConnection: number;
  connections: number;
  manyConnections: number;
  seconds: number;
  /** The database server's CPU per add with `connections` writers (null for a database we did not start). */
  databaseMsPerAdd: number | null;
}

/** Re-fetches vs subagents, copied from a harness sweep report (for the chart). */
export interface SweepSeries {
  subagents: number[];
  series: Array<{ policy: string; toolsList: number[]; initialize: number[]; discover: number[] }>;
  /** The sweep report it came from. */
  source: string;
}

export interface ScaleReport {
  schema: typeof SCALE_SCHEMA;
  ok: boolean;
  scenario: { name: string; title: string; file: string };
  /** The command line that produced it. */
  command: string;
  machine: Machine & { nginx: string | null; k6: string | null; postgres?: string | null };
  settings: {
    instances: number[];
    routings: Routing[];
    seconds: number;
    warmupSeconds: number;
    killOneAt: number | null;
    stores?: Store[];
    hosts?: number | null;
    restartDatabaseAt?: number | null;
  };
  startedAt: string;
  durationMs: number;
  runs: ScaleRun[];
  /** With --hosts: the namespaces and addresses of the run's private network. */
  topology?: Topology | null;
  /** SQLite's ceiling (null when SQLite was not a store). */
  storeCeiling: StoreCeiling | null;
  postgresCeiling?: PostgresCeiling | null;
  sweep: SweepSeries | null;
  /** Sentences a reader should see first: where the machine, not the design, is the limit. */
  notes: string[];
}
