/**
 * The report: one stable JSON shape (`schema: "sessionless-harness/report@1"`, documented in
 * docs/harness.md) from which the terminal table and the Markdown are rendered. Fields are only
 * ever added within a schema version; renaming or removing one bumps it.
 */
import { arch, cpus, platform, totalmem } from 'node:os';
import { addTraffic, emptyTraffic, HTTP_GET, type MethodTraffic, type Traffic } from './counting.js';
import type { Endpoint } from '../fleet/fleet.js';
import type { PolicyName } from './policies.js';
import type { Check } from '../scenarios/base.js';
import type { ServerName } from '../fleet/servers.js';

export const REPORT_SCHEMA = 'sessionless-harness/report@1';

/** Methods every report lists, in this order, even when nothing was sent. */
export const COUNTED_METHODS = [
  'server/discover',
  'initialize',
  'notifications/initialized',
  'tools/list',
  'tools/call',
] as const;

/** What a client sends before it can call tools: discovery, handshake and the tool list. */
const OVERHEAD_METHODS = ['server/discover', 'initialize', 'notifications/initialized', 'tools/list', HTTP_GET];

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

export interface Machine {
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
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

export function machine(): Machine {
  const cores = cpus();
  return {
    node: process.versions.node,
    platform: platform(),
    arch: arch(),
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}

/** The request counts each policy implies for S subagents plus one orchestrator on M servers. */
export function expectedCounts(policy: PolicyName, subagents: number, servers: number): Record<string, number> {
  const perActorPerServer = (subagents + 1) * servers;
  return policy === 'session-era'
    ? {
        'server/discover': 0,
        initialize: perActorPerServer,
        'notifications/initialized': perActorPerServer,
        'tools/list': perActorPerServer,
        [HTTP_GET]: perActorPerServer,
      }
    : {
        'server/discover': servers,
        initialize: 0,
        'notifications/initialized': 0,
        'tools/list': servers,
        [HTTP_GET]: 0,
      };
}

/** Client counts next to the servers' /metrics deltas, per server and method. */
export function compareCounts(
  endpoints: Endpoint[],
  client: Record<string, MethodTraffic>,
  server: Record<string, MethodTraffic>,
): ServerCounts[] {
  return endpoints.map((endpoint) => {
    const mine = client[endpoint.name] ?? {};
    const theirs = server[endpoint.name] ?? {};
    const methods = orderMethods([...COUNTED_METHODS, ...Object.keys(mine), ...Object.keys(theirs)]).map(
      (method): MethodCount => {
        const c = mine[method] ?? emptyTraffic();
        if (method === HTTP_GET) return { method, client: c, server: null, agree: null };
        const s = theirs[method] ?? emptyTraffic();
        const agree =
          c.requests === s.requests && c.requestBytes === s.requestBytes && c.responseBytes === s.responseBytes;
        return { method, client: c, server: s, agree };
      },
    );
    return { server: endpoint.name, url: endpoint.url, methods, agree: methods.every((m) => m.agree !== false) };
  });
}

export function totalsOf(perServer: ServerCounts[]): Record<string, Traffic> {
  const totals: Record<string, Traffic> = {};
  for (const { methods } of perServer) {
    for (const m of methods) addTraffic((totals[m.method] ??= emptyTraffic()), m.client);
  }
  return totals;
}

export function ratiosOf(totals: Record<string, Traffic>): Ratios {
  const bytes = (t: Traffic | undefined) => (t ? t.requestBytes + t.responseBytes : 0);
  const tool = totals['tools/call'];
  const overhead = OVERHEAD_METHODS.map((m) => totals[m] ?? emptyTraffic()).reduce(
    (sum, t) => addTraffic(sum, t),
    emptyTraffic(),
  );
  const per = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);
  return {
    listPerToolRequests: per(totals['tools/list']?.requests ?? 0, tool?.requests ?? 0),
    listPerToolBytes: per(bytes(totals['tools/list']), bytes(tool)),
    overheadPerToolRequests: per(overhead.requests, tool?.requests ?? 0),
    overheadPerToolBytes: per(bytes(overhead), bytes(tool)),
  };
}

/** Checks the totals against the policy's formula; the detail shows the arithmetic. */
export function formulaCheck(
  policy: PolicyName,
  expected: Record<string, number>,
  totals: Record<string, Traffic>,
  subagents: number,
  servers: number,
): Check {
  const wrong = Object.entries(expected).filter(([m, n]) => (totals[m]?.requests ?? 0) !== n);
  const list = expected['tools/list']!;
  const formula =
    policy === 'session-era'
      ? `tools/list = initialize = (S+1) x M = ${subagents + 1} x ${servers} = ${list}`
      : `tools/list = server/discover = M = ${servers}; initialize = 0`;
  return {
    name: "list traffic follows the policy's formula",
    ok: wrong.length === 0,
    detail:
      wrong.length === 0
        ? formula
        : `${formula}, but ${wrong.map(([m, n]) => `${m} was ${totals[m]?.requests ?? 0}, expected ${n}`).join('; ')}`,
  };
}

export function agreementCheck(perServer: ServerCounts[], stoppedEarly = false): Check {
  const off = perServer.flatMap((s) =>
    s.methods
      .filter((m) => m.agree === false)
      .map(
        (m) =>
          `${s.server} ${m.method}: client ${m.client.requests} req/${m.client.requestBytes} B in/` +
          `${m.client.responseBytes} B out, server ${m.server?.requests} req/${m.server?.requestBytes} B in/` +
          `${m.server?.responseBytes} B out`,
      ),
  );
  const compared = perServer.reduce((n, s) => n + s.methods.filter((m) => m.agree !== null).length, 0);
  return {
    name: "client counts equal the servers' /metrics",
    ok: off.length === 0,
    detail:
      off.length === 0
        ? `${compared} (server, method) pairs: requests, request bytes and response bytes all equal`
        : off.join('; ') +
          (stoppedEarly ? ' (the run stopped early: requests aborted in flight reach the client count only)' : ''),
  };
}

function orderMethods(methods: string[]): string[] {
  const rank = (m: string) => {
    const known = (COUNTED_METHODS as readonly string[]).indexOf(m);
    return known >= 0 ? known : m === HTTP_GET ? COUNTED_METHODS.length + 1 : COUNTED_METHODS.length;
  };
  return [...new Set(methods)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
