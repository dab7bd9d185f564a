/**
 * The variable under test: the three client policies, how each gets an actor ready to call tools
 * on a server, and beside each its formula, the requests it implies for S subagents on M servers.
 * Every actor calls `tools/list` on connect under all three; only where the answer comes from differs.
 */
import { InMemoryResponseCacheStore, type DiscoverResult } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connectModern } from '@sessionless/kit/testing';
import type { Endpoint } from '../fleet/fleet.js';
import { HTTP_GET, type TrafficCounter } from './counting.js';
import type { PolicyName } from './policy-names.js';

export { POLICY_NAMES, type PolicyName } from './policy-names.js';

export const POLICY_SUMMARIES: Record<PolicyName, string> = {
  'session-era': '2025-11-25 clients (SDK v1): every actor runs initialize + tools/list on every server',
  'sessionless-own-cache':
    '2026-07-28 clients (SDK v2), no shared cache: every actor discovers and lists every server once, ' +
    'honouring ttlMs within itself only',
  sessionless:
    '2026-07-28 clients (SDK v2): the orchestrator discovers and lists each server once; subagents inherit ' +
    'its discover results and read tools/list from the shared cache',
};

export interface ToolResult {
  content?: unknown;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

/** One client connected to one server. */
export interface Connection {
  callTool(name: string, args: Record<string, unknown>): Promise<ToolResult>;
  close(): Promise<void>;
}

/** Who the requests act for: the bearer token's subject (absent when servers run anonymous). */
export interface Principal {
  subject: string;
  token?: string;
}

export type Role = 'orchestrator' | 'subagent';

export interface ClientPolicy {
  readonly name: PolicyName;
  /** Connects one actor to one server the way this policy's clients do, `tools/list` included. */
  connect(endpoint: Endpoint, role: Role, actor: string): Promise<Connection>;
  /** Closes every client still open, aborting requests in flight (a run that timed out). */
  closeAll(): Promise<void>;
}

export interface PolicyOptions {
  principal: Principal;
  /** Counts every request this policy's clients send; absent for uncounted work. */
  counter?: TrafficCounter;
}

/** Each policy's formula in symbols, for S subagents plus one orchestrator on M servers. */
export const POLICY_FORMULAS: Record<PolicyName, string> = {
  'session-era': 'tools/list = initialize = (S+1) x M',
  'sessionless-own-cache': 'tools/list = server/discover = (S+1) x M, initialize = 0',
  sessionless: 'tools/list = server/discover = M, initialize = 0',
};

/** The requests a policy implies per method, and the arithmetic behind them for the report. */
export interface Formula {
  expected: Record<string, number>;
  text: string;
}

/** The request counts each policy implies for S subagents plus one orchestrator on M servers. */
export function formulaOf(policy: PolicyName, subagents: number, servers: number): Formula {
  if (policy === 'session-era') return sessionEraFormula(subagents, servers);
  return policy === 'sessionless-own-cache'
    ? ownCacheFormula(subagents, servers)
    : sessionlessFormula(subagents, servers);
}

export const expectedCounts = (policy: PolicyName, subagents: number, servers: number): Record<string, number> =>
  formulaOf(policy, subagents, servers).expected;

const CLIENT_VERSION = '0.1.0';

export function createPolicy(name: PolicyName, options: PolicyOptions): ClientPolicy {
  const connect =
    name === 'session-era'
      ? sessionEra(options)
      : name === 'sessionless-own-cache'
        ? sessionlessOwnCache(options)
        : sessionless(options);
  const open = new Set<OpenClient>();
  return {
    name,
    async connect(endpoint, role, actor) {
      const connection = await connect(endpoint, role, actor);
      open.add(connection);
      return {
        callTool: (tool, args) => connection.callTool(tool, args),
        close: async () => {
          open.delete(connection);
          await connection.close();
        },
      };
    },
    async closeAll() {
      const closing = [...open].map((c) => c.abort());
      open.clear();
      await Promise.allSettled(closing);
    },
  };
}

/** A connection as the policies make it: `abort` closes at once, without waiting for bodies. */
type OpenClient = Connection & { abort(): Promise<void> };
type Connector = (endpoint: Endpoint, role: Role, actor: string) => Promise<OpenClient>;

/**
 * `session-era`: a 2025-11-25 client on `@modelcontextprotocol/sdk` (v1), as clients behave today:
 * each actor connects to each server with `initialize` (+ `notifications/initialized`, and a GET
 * the server answers 405), then `tools/list`, because a list may be scoped to its session.
 */
function sessionEra({ principal, counter }: PolicyOptions): Connector {
  return async (endpoint, _role, actor) => {
    const counted = counter?.fetchFor(endpoint.name);
    const client = new LegacyClient({ name: actor, version: CLIENT_VERSION });
    await client.connect(
      new LegacyTransport(new URL(endpoint.url), {
        requestInit: principal.token ? { headers: { authorization: `Bearer ${principal.token}` } } : undefined,
        fetch: counted,
      }),
    );
    await client.listTools();
    return {
      callTool: async (tool, args) => (await client.callTool({ name: tool, arguments: args })) as ToolResult,
      close: async () => {
        await counted?.settled(); // closing aborts response bodies still streaming; count them first
        await client.close();
      },
      abort: () => client.close(),
    };
  };
}

/**
 * What the session-era policy costs, S subagents plus the orchestrator on M servers: every actor
 * handshakes (initialize, initialized, the GET) and lists on every server, (S+1) x M of each.
 */
function sessionEraFormula(subagents: number, servers: number): Formula {
  const perActorPerServer = (subagents + 1) * servers;
  return {
    expected: {
      'server/discover': 0,
      initialize: perActorPerServer,
      'notifications/initialized': perActorPerServer,
      'tools/list': perActorPerServer,
      [HTTP_GET]: perActorPerServer,
    },
    text: `tools/list = initialize = (S+1) x M = ${subagents + 1} x ${servers} = ${perActorPerServer}`,
  };
}

/**
 * `sessionless`: a 2026-07-28 client on `@modelcontextprotocol/client` (v2). One response cache
 * per run, partitioned by principal, honours the lists' `ttlMs`/`cacheScope`. The orchestrator
 * probes `server/discover` and lists once per server; subagents start from its discover verdicts
 * (`prior`) and the shared cache, so their `tools/list` is answered without a round trip.
 */
function sessionless({ principal, counter }: PolicyOptions): Connector {
  const cache = new InMemoryResponseCacheStore();
  const verdicts = new Map<string, DiscoverResult>();
  return async (endpoint, role, actor) => {
    const inherited = verdicts.get(endpoint.url);
    if (role === 'subagent' && !inherited) {
      throw new Error(`subagent ${actor} connected to ${endpoint.name} before the orchestrator discovered it`);
    }
    const discover = role === 'subagent' ? inherited : undefined;
    const connection = await modernConnection(endpoint, actor, { principal, counter }, cache, discover);
    if (role === 'orchestrator' && connection.verdict) verdicts.set(endpoint.url, connection.verdict);
    return connection;
  };
}

/**
 * `sessionless-own-cache`: the same 2026-07-28 client, but each actor keeps its own response
 * cache (for all its servers) and inherits nothing: it probes `server/discover` and lists every
 * server itself, and reuses a list only within itself, as long as its `ttlMs` allows.
 */
function sessionlessOwnCache(options: PolicyOptions): Connector {
  const caches = new Map<string, InMemoryResponseCacheStore>();
  return async (endpoint, _role, actor) => {
    const cache = caches.get(actor) ?? new InMemoryResponseCacheStore();
    caches.set(actor, cache);
    return modernConnection(endpoint, actor, options, cache, undefined);
  };
}

/** A v2 client on `cache`, listed once; without `discover` (an inherited verdict) it probes itself. */
async function modernConnection(
  endpoint: Endpoint,
  actor: string,
  { principal, counter }: PolicyOptions,
  cache: InMemoryResponseCacheStore,
  discover: DiscoverResult | undefined,
): Promise<OpenClient & { verdict: DiscoverResult | undefined }> {
  const counted = counter?.fetchFor(endpoint.name);
  const client = await connectModern(endpoint.url, {
    name: actor,
    token: principal.token,
    responseCacheStore: cache,
    // Private entries stay with their principal; the servers' lists are public and shared anyway.
    cachePartition: principal.subject,
    fetch: counted,
    discover,
  });
  await client.listTools();
  return {
    verdict: client.getDiscoverResult(),
    callTool: async (tool, args) => (await client.callTool({ name: tool, arguments: args })) as ToolResult,
    close: async () => {
      await counted?.settled(); // closing aborts response bodies still streaming; count them first
      await client.close();
    },
    abort: () => client.close(),
  };
}

/** What the sessionless policy costs: the orchestrator discovers and lists each server once, M of each. */
function sessionlessFormula(_subagents: number, servers: number): Formula {
  return {
    expected: {
      'server/discover': servers,
      initialize: 0,
      'notifications/initialized': 0,
      'tools/list': servers,
      [HTTP_GET]: 0,
    },
    text: `tools/list = server/discover = M = ${servers}; initialize = 0`,
  };
}

/**
 * What the own-cache policy costs: no handshake, but every actor discovers and lists every server
 * once, (S+1) x M of each; its own cache spares it only repeats of its own lists.
 */
function ownCacheFormula(subagents: number, servers: number): Formula {
  const perActorPerServer = (subagents + 1) * servers;
  return {
    expected: {
      'server/discover': perActorPerServer,
      initialize: 0,
      'notifications/initialized': 0,
      'tools/list': perActorPerServer,
      [HTTP_GET]: 0,
    },
    text:
      `tools/list = server/discover = (S+1) x M = ${subagents + 1} x ${servers} = ${perActorPerServer}; ` +
      'initialize = 0',
  };
}
