/**
 * What a policy run's counts are checked against: the client's counts next to the servers'
 * /metrics deltas per server and method, their totals and ratios, and the two checks every run
 * gets, "list traffic follows the policy's formula" and "client counts equal the servers' /metrics".
 */
import type { Endpoint } from '../fleet/fleet.js';
import type { Check } from '../scenarios/base.js';
import { addTraffic, emptyTraffic, HTTP_GET, type MethodTraffic, type Traffic } from './counting.js';
import { formulaOf, type PolicyName } from './policies.js';
import { COUNTED_METHODS, type MethodCount, type Ratios, type ServerCounts } from './report.js';

/** What a client sends before it can call tools: discovery, handshake and the tool list. */
const OVERHEAD_METHODS = ['server/discover', 'initialize', 'notifications/initialized', 'tools/list', HTTP_GET];

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
  const formula = formulaOf(policy, subagents, servers).text;
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
