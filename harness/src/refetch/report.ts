/**
 * The report: one stable JSON shape (`schema: "sessionless-harness/report@1"`, documented in
 * docs/harness.md) from which the terminal table and the Markdown are rendered. Fields are only
 * ever added within a schema version; renaming or removing one bumps it.
 */
import type { ServerName } from '../fleet/servers.js';
import type { Check } from '../scenarios/base.js';
import type { Machine } from '../shared/machine.js';
import type { Traffic } from './counting.js';
import type { PolicyName } from './policies.js';

export const REPORT_SCHEMA = 'sessionless-harness/report@1';

/** Methods every report lists, in this order, even when nothing was sent. */
export const COUNTED_METHODS = [
  'server/discover',
  'initialize',
  'notifications/initialized',
  'tools/list',
  'tools/call',
] as const;

export interface MethodCount {
  method: string;
  client: Traffic;
  /** The server's /metrics delta; null where servers do not count (GET /mcp, answered 405). */
  server: Traffic | null;
  /** Requests and both byte counts equal; null where the server does not count. */
  agree: boolean | null;
}

export interface ServerCounts {
  server: ServerName;
  url: string;
  methods: MethodCount[];
  agree: boolean;
}

export interface Ratios {
  /** tools/list requests per tools/call request. */
  listPerToolRequests: number | null;
  /** tools/list bytes (request + response) per tools/call byte. */
  listPerToolBytes: number | null;
  /** discover + initialize + initialized + tools/list + GET requests per tools/call request. */
  overheadPerToolRequests: number | null;
  overheadPerToolBytes: number | null;
}

export interface RunReport {
  policy: PolicyName;
  subagents: number;
  /** Subagents plus the orchestrator. */
  actors: number;
  /** Servers the actors connected to (M). */
  servers: number;
  ok: boolean;
  /** Why the run stopped early, or null. */
  error: string | null;
  durationMs: number;
  checks: Check[];
  /** Requests the policy's definition implies, per method (docs/harness.md, "Formulas"). */
  expected: Record<string, number>;
  /** Client-side counts summed over servers, per method (GET /mcp included). */
  totals: Record<string, Traffic>;
  perServer: ServerCounts[];
  /** Client and server counts agree for every server and method. */
  agree: boolean;
  ratios: Ratios;
  /** What the scenario's checks were made from (handles, items, cookies). */
  outcome: Record<string, unknown> | null;
  /** Clean-up steps that failed; they do not fail the run. */
  warnings: string[];
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  ok: boolean;
  command: 'run' | 'sweep';
  scenario: { name: string; kind: string; title: string; file: string; servers: ServerName[] };
  subagents: number[];
  policies: PolicyName[];
  machine: Machine;
  startedAt: string;
  durationMs: number;
  runs: RunReport[];
}
