/**
 * `check URL [URL...]`, the library call: is this server safe behind a load balancer with no
 * affinity? In order: what each instance speaks; the lists, before any tool call; a 2025-11-25
 * session carried to another instance; read-only calls and the handle probes; the lists again.
 * Handles it creates are destroyed before it returns; the report says what was written.
 */
import { performance } from 'node:perf_hooks';
import { UsageError } from '../shared/errors.js';
import { CheckClient } from './client.js';
import { declaredKinds, type Declaration } from './declaration.js';
import { discoverHandles, type HandleKind } from './handles.js';
import { createSamples, destroySamples, useProblemOf } from './handle-samples.js';
import { handleChecks, type Samples } from './handle-checks.js';
import { listChecks } from './list-checks.js';
import { fetchList, listMethods, type ListFetch } from './lists.js';
import { capabilitiesOf, instanceReport, probeInstances } from './probe.js';
import {
  CHECK_SCHEMA,
  type CheckReport,
  type CheckResult,
  type CheckStatus,
  type HandleKindReport,
  type WritePolicy,
} from './report.js';
import { carrySession, sessionChecks, sessionStateCheck } from './sessions.js';
import { fillArguments, toolsOf } from './tools.js';
import { Wire, type Principal } from './wire.js';

export interface CheckOptions {
  urls: string[];
  token?: string;
  tokenB?: string;
  /** Extra headers on every request, e.g. an API key. */
  headers?: Record<string, string>;
  policy?: WritePolicy;
  declaration?: { file: string; data: Declaration };
  timeoutMs?: number;
  /** Handles created per kind for the entropy estimate (default 3). */
  samples?: number;
  onProgress?: (line: string) => void;
}

export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const startedAt = new Date();
  const started = performance.now();
  const say = options.onProgress ?? (() => {});
  const policy = options.policy ?? 'handle-probes';
  const a: Principal = { name: 'A', token: options.token };
  const b: Principal | null = options.tokenB ? { name: 'B', token: options.tokenB } : null;
  const wire = new Wire({ urls: options.urls, headers: options.headers ?? {}, timeoutMs: options.timeoutMs ?? 30_000 });
  const client = new CheckClient(wire, 'modern');
  try {
    const probes = await probeInstances(client, a, '--token');
    const instances = options.urls.map((url, i) => instanceReport(url, probes[i]!));
    client.era = probes[0]!.discover ? 'modern' : 'legacy';
    if (client.era === 'legacy') probes.forEach((p) => client.adoptSession(p.instance, a, p.sessionId));
    say(
      `speaking ${client.era === 'modern' ? '2026-07-28' : '2025-11-25 (no server/discover)'} to ${wire.instances} instance(s)`,
    );

    const methods = listMethods(capabilitiesOf(probes[0]!), client.era === 'modern');
    const fetches: ListFetch[] = [];
    const listAll = async (principal: Principal, round: ListFetch['round'], only?: number) => {
      for (let i = 0; i < wire.instances; i++) {
        if (only !== undefined && i !== only) continue;
        for (const method of methods) fetches.push(await fetchList(client, i, method, principal, round));
      }
    };
    await listAll(a, 'before');
    await listAll(a, 'again', 0);
    if (b) await authorised(client, b, () => listAll(b, 'before'));
    const listed = fetches.find((f) => f.method === 'tools/list' && f.result);
    const tools = toolsOf(listed?.result ?? undefined);
    client.tools = new Map(tools.map((t) => [t.name, t]));

    const found = discoverHandles(tools);
    const declared = options.declaration
      ? declaredKinds(options.declaration.data, tools, options.declaration.file)
      : [];
    const kinds = [...declared, ...found.filter((k) => !declared.some((d) => d.argument === k.argument))];
    say(
      `tools: ${tools.length}; handles: ${kinds.map((k) => `${k.argument} (${k.create.tool})`).join(', ') || 'none found'}`,
    );

    const calls = () => wire.exchanges.filter((e) => e.method === 'tools/call').length;
    const callsBefore = calls();
    const carried = await carrySession(client, a);
    for (const tool of tools.filter((t) => t.readOnly && fillArguments(t) !== null).slice(0, 5)) {
      for (let i = 0; i < wire.instances; i++) await client.call(i, tool.name, fillArguments(tool)!, a);
    }

    const samples: Samples[] = [];
    for (const kind of kinds) samples.push(await createSamples(client, kind, a, policy, options.samples ?? 3));
    const checks: CheckResult[] = [];
    const anonymous = !options.token && Object.keys(options.headers ?? {}).length === 0;
    const noSecond = options.token
      ? 'no second principal: pass --token-b with a token for another user.'
      : anonymous
        ? 'the server took calls without a token, so every caller is the same principal.'
        : 'no second principal: --token and --token-b give two; --header alone gives one.';
    try {
      for (const s of samples) {
        const other = samples.find((o) => o !== s && o.ids.length > 0)?.ids.at(-1) ?? null;
        const useProblem = useProblemOf(s.kind, policy);
        const noSecondPrincipal = !anonymous
          ? noSecond
          : `${noSecond.slice(0, -1)}: possession of an id is the capability, which is why its entropy matters.`;
        checks.push(...(await handleChecks({ client, a, b, noSecondPrincipal, useProblem, otherKindId: other }, s)));
      }
    } finally {
      for (const s of samples) await destroySamples(client, s, a);
    }
    const callsAfter = calls();
    await listAll(a, 'after');

    const all = [
      ...listChecks({
        fetches,
        methods,
        instances: wire.instances,
        secondPrincipal: b !== null,
        noSecondPrincipal: noSecond,
        modern: client.era === 'modern',
        callsBetween: callsAfter - callsBefore,
      }),
      ...sessionChecks(wire.exchanges, carried),
      ...(kinds.length ? checks : [noHandles(sessionStateCheck(carried), tools.length)]),
    ];
    const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
    for (const c of all) counts[c.status]++;
    return {
      schema: CHECK_SCHEMA,
      ok: counts.fail === 0,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      instances,
      era: client.era,
      principals: { a: options.token ? 'token' : anonymous ? 'anonymous' : 'headers', b: b ? 'token' : null },
      writes: {
        policy,
        calls: Object.fromEntries(client.writes),
        leftBehind: samples.flatMap((s) => s.ids.filter((id) => !s.destroyed.has(id))),
      },
      handles: kinds.map(kindReport),
      checks: all,
      counts,
    };
  } finally {
    await client.close(b ? [a, b] : [a]);
  }
}

/** A second principal's first request: refused credentials are bad input, named for --token-b. */
async function authorised(client: CheckClient, b: Principal, work: () => Promise<void>): Promise<void> {
  let status: number;
  if (client.era === 'modern') {
    status = (await client.wire.modern(0, 'server/discover', {}, { principal: b })).status;
  } else {
    const { answer, sessionId } = await client.initialize(0, b);
    client.adoptSession(0, b, sessionId);
    status = answer.status;
  }
  if (status === 401 || status === 403) {
    throw new UsageError(
      `instance 1 (${client.wire.url(0)}) refused the --token-b token with HTTP ${status}: pass a valid token for a second user`,
    );
  }
  await work();
}

function noHandles(state: ReturnType<typeof sessionStateCheck>, tools: number): CheckResult {
  return {
    id: 'handles.none',
    group: 'handles',
    subject: null,
    name: 'state created on 1 works on 2',
    ...(state ?? {
      status: 'skip',
      detail: `no handle found among ${tools} tool${tools === 1 ? '' : 's'} (no tool returns an id that another takes, none declared with --handles FILE), and no session: nothing is kept between calls.`,
      fix: null,
    }),
  };
}

function kindReport(kind: HandleKind): HandleKindReport {
  return {
    argument: kind.argument,
    create: kind.create.tool,
    read: kind.read?.tool ?? null,
    destroy: kind.destroy?.tool ?? null,
    tools: kind.takers,
    source: kind.source,
  };
}
