/**
 * One policy run: a scenario under one client policy with S subagents, against running servers.
 * The counted window is exactly the scenario's own work: scrape every /metrics, run the script
 * (counting on the client), wait for every response body, scrape again, compare. Afterwards,
 * uncounted, a second principal probes the team's handles and the clean-up destroys what the run
 * created, so the next run starts from the same state.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Endpoint } from '../fleet/fleet.js';
import type { Check, ScriptResult } from '../scenarios/base.js';
import { scriptFor, type Scenario } from '../scenarios/index.js';
import { withTimeout } from '../shared/concurrency.js';
import { messageOf } from '../shared/errors.js';
import { Actor } from './actor.js';
import { agreementCheck, compareCounts, formulaCheck, ratiosOf, totalsOf } from './compare.js';
import { TrafficCounter, type MethodTraffic } from './counting.js';
import { scrapeTraffic, trafficDelta } from './metrics.js';
import { createPolicy, expectedCounts, type PolicyName, type Principal } from './policies.js';
import type { RunReport } from './report.js';

export interface PolicyRunOptions {
  scenario: Scenario;
  policy: PolicyName;
  subagents: number;
  endpoints: Endpoint[];
  siteOrigin?: string;
  /** The team's principal, and a second one for the isolation probe (absent when anonymous). */
  principals: { team: Principal; stranger?: Principal };
  concurrency?: number;
  timeoutMs?: number;
  /** Destroy what the run created afterwards (default true). */
  cleanup?: boolean;
  onProgress?: (done: number) => void;
  /** Servers that died; their sentences become the run's error. */
  problems?: () => string[];
}

export async function runPolicy(options: PolicyRunOptions): Promise<RunReport> {
  const { scenario, policy: policyName, subagents, endpoints } = options;
  const started = performance.now();
  const counter = new TrafficCounter();
  const deferred: Array<(team: Actor) => Promise<unknown>> = [];
  const warnings: string[] = [];
  const checks: Check[] = [];
  let error: string | null = null;
  let result: ScriptResult | undefined;

  const policy = createPolicy(policyName, { principal: options.principals.team, counter });

  const before = await scrapeAll(endpoints);
  try {
    const work = scriptFor(scenario).run({
      scenario,
      policy,
      endpoints,
      siteOrigin: options.siteOrigin,
      subagents,
      concurrency: options.concurrency ?? scenario.concurrency,
      runId: randomBytes(6).toString('hex'),
      progress: (done) => options.onProgress?.(done),
      defer: (step) => deferred.push(step),
    });
    const timeoutMs = options.timeoutMs ?? scenario.timeoutSeconds * 1000;
    result = await withTimeout(work, timeoutMs, `the run did not finish within ${timeoutMs / 1000} s`);
    checks.push(...result.checks);
  } catch (failure) {
    error = [messageOf(failure), ...(options.problems?.() ?? [])].join('; ');
    await policy.closeAll(); // a run that stopped early must not keep sending requests
  }
  await counter.settled();
  await policy.closeAll();
  const client = counter.snapshot();
  const server = delta(before, await scrapeAll(endpoints));
  const durationMs = Math.round(performance.now() - started);

  const perServer = compareCounts(endpoints, client, server);
  const totals = totalsOf(perServer);
  const expected = expectedCounts(policyName, subagents, endpoints.length);
  checks.push(
    formulaCheck(policyName, expected, totals, subagents, endpoints.length),
    agreementCheck(perServer, error !== null),
  );

  const probing = result?.probe && options.principals.stranger && scenario.secondPrincipal;
  const cleaning = options.cleanup !== false && deferred.length > 0;
  if (probing || cleaning) {
    // Uncounted from here on: a fresh client of the team's principal for the probe and the clean-up.
    const team = await uncountedActor(options, options.principals.team, 'clean-up').catch((failure: unknown) => {
      warnings.push(`clean-up: ${messageOf(failure)}`);
      return undefined;
    });
    if (probing && team) checks.push(...(await probe(options, result!, team)));
    if (cleaning && team) {
      for (const step of deferred.reverse()) {
        await step(team).catch((failure: unknown) => warnings.push(`clean-up: ${messageOf(failure)}`));
      }
    }
    await team?.close();
  }

  return {
    policy: policyName,
    subagents,
    actors: subagents + 1,
    servers: endpoints.length,
    ok: error === null && checks.every((c) => c.ok),
    error,
    durationMs,
    checks,
    expected,
    totals,
    perServer,
    agree: perServer.every((s) => s.agree),
    ratios: ratiosOf(totals),
    outcome: result?.outcome ?? null,
    warnings,
  };
}

/** A client of `principal` connected the run's policy's way, but not counted. */
function uncountedActor(options: PolicyRunOptions, principal: Principal, name: string): Promise<Actor> {
  return Actor.connect(createPolicy(options.policy, { principal }), options.endpoints, 'orchestrator', name);
}

/** A second user tries the team's handles. */
async function probe(options: PolicyRunOptions, result: ScriptResult, team: Actor): Promise<Check[]> {
  let stranger: Actor | undefined;
  try {
    stranger = await uncountedActor(options, options.principals.stranger!, 'second-user');
    return await result.probe!(stranger, team);
  } catch (failure) {
    return [{ name: "a second user cannot use the team's handles", ok: false, detail: messageOf(failure) }];
  } finally {
    await stranger?.close();
  }
}

async function scrapeAll(endpoints: Endpoint[]): Promise<Record<string, MethodTraffic>> {
  const scraped = await Promise.all(endpoints.map(async (e) => [e.name, await scrapeTraffic(e.origin)] as const));
  return Object.fromEntries(scraped);
}

function delta(
  before: Record<string, MethodTraffic>,
  after: Record<string, MethodTraffic>,
): Record<string, MethodTraffic> {
  return Object.fromEntries(Object.entries(after).map(([name, now]) => [name, trafficDelta(before[name] ?? {}, now)]));
}
