/**
 * The library's front door: run a scenario for one or more subagent counts under each client
 * policy, against servers it starts (one process per server, fresh data directory, free
 * loopback ports) or ones given by URL, and return the report. The same server processes serve
 * every run; each run creates and destroys its own handles.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { defaultAudience, signDevToken } from '@sessionless/kit';
import { startFleet } from '../fleet/fleet.js';
import { SERVER_NAMES, type PortName, type ServerName } from '../fleet/servers.js';
import { loadScenario, type LoadedScenario } from '../scenarios/scenario-file.js';
import { messageOf } from '../shared/errors.js';
import { machine } from '../shared/machine.js';
import type { PolicyName, Principal } from './policies.js';
import { REPORT_SCHEMA, type Report, type RunReport } from './report.js';
import { runPolicy } from './run.js';

export type HarnessEvent =
  | { type: 'log'; line: string }
  | { type: 'run-start'; policy: PolicyName; subagents: number; index: number; total: number }
  | { type: 'progress'; policy: PolicyName; subagents: number; done: number }
  | { type: 'run-end'; run: RunReport; index: number; total: number };

export interface HarnessOptions {
  /** A scenario name, a path to a scenario file, or one already loaded. */
  scenario: string | LoadedScenario;
  command?: 'run' | 'sweep';
  /** Subagent counts; default: the scenario's `subagents` for run, its `sweep` for sweep. */
  subagents?: number[];
  policies?: PolicyName[];
  /** Servers already running; the others are started. */
  urls?: Partial<Record<ServerName, string>>;
  siteOrigin?: string;
  ports?: Partial<Record<PortName, number>>;
  /**
   * Bearer auth: the harness starts its servers with this secret (random when absent) and signs
   * tokens for two principals. Anonymous servers have a single principal, so the second-user
   * probe is skipped.
   */
  auth?: { mode: 'jwt'; secret?: string } | { mode: 'anonymous' };
  concurrency?: number;
  timeoutMs?: number;
  keepData?: boolean;
  /** Extra environment for the server processes. */
  env?: Record<string, string>;
  onEvent?: (event: HarnessEvent) => void;
  /** Receives a function that stops every server, for a signal handler; called before any starts. */
  registerStop?: (stop: () => Promise<void>) => void;
}

export const TEAM_SUBJECT = 'team';
export const STRANGER_SUBJECT = 'second-user';

export async function runScenario(options: HarnessOptions): Promise<Report> {
  const startedAt = new Date();
  const started = performance.now();
  const emit = options.onEvent ?? (() => {});
  const { scenario, file } = typeof options.scenario === 'string' ? loadScenario(options.scenario) : options.scenario;
  const command = options.command ?? 'run';
  const counts = options.subagents ?? (command === 'sweep' ? scenario.sweep : [scenario.subagents]);
  const policies = options.policies ?? scenario.policies;
  const auth = options.auth ?? { mode: 'jwt' };
  const secret = auth.mode === 'jwt' ? (auth.secret ?? randomBytes(32).toString('base64url')) : undefined;

  const fleet = await startFleet({
    servers: scenario.servers,
    auth: secret ? { mode: 'jwt', secret } : { mode: 'anonymous' },
    ports: options.ports,
    urls: options.urls,
    siteOrigin: options.siteOrigin,
    keepData: options.keepData,
    env: options.env,
    log: (line) => emit({ type: 'log', line }),
    register: options.registerStop,
  });

  const runs: RunReport[] = [];
  try {
    const principals = await principalsFor(secret);
    const total = counts.length * policies.length;
    for (const subagents of counts) {
      for (const policy of policies) {
        const index = runs.length;
        emit({ type: 'run-start', policy, subagents, index, total });
        const run = await runPolicy({
          scenario,
          policy,
          subagents,
          endpoints: fleet.endpoints,
          siteOrigin: fleet.siteOrigin,
          principals,
          concurrency: options.concurrency,
          timeoutMs: options.timeoutMs,
          onProgress: (done) => emit({ type: 'progress', policy, subagents, done }),
          problems: fleet.problems,
        }).catch((error: unknown) => failedRun(policy, subagents, scenario.servers.length, messageOf(error)));
        if (!principals.stranger && scenario.secondPrincipal) {
          run.warnings.push('second-user probe skipped: the servers run without auth, so there is one user');
        }
        runs.push(run);
        emit({ type: 'run-end', run, index, total });
      }
    }
  } finally {
    await fleet.stop();
  }

  return {
    schema: REPORT_SCHEMA,
    ok: runs.every((r) => r.ok),
    command,
    scenario: { name: scenario.name, kind: scenario.kind, title: scenario.title, file, servers: scenario.servers },
    subagents: counts,
    policies,
    machine: machine(),
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    runs,
  };
}

async function principalsFor(secret: string | undefined): Promise<{ team: Principal; stranger?: Principal }> {
  if (!secret) return { team: { subject: 'anonymous' } };
  // Long enough for a 32-subagent sweep on a slow machine.
  const sign = (subject: string) =>
    signDevToken(secret, subject, { expiresIn: '12h', audience: SERVER_NAMES.map(defaultAudience) });
  return {
    team: { subject: TEAM_SUBJECT, token: await sign(TEAM_SUBJECT) },
    stranger: { subject: STRANGER_SUBJECT, token: await sign(STRANGER_SUBJECT) },
  };
}

function failedRun(policy: PolicyName, subagents: number, servers: number, error: string): RunReport {
  return {
    policy,
    subagents,
    actors: subagents + 1,
    servers,
    ok: false,
    error,
    durationMs: 0,
    checks: [],
    expected: {},
    totals: {},
    perServer: [],
    agree: false,
    ratios: {
      listPerToolRequests: null,
      listPerToolBytes: null,
      overheadPerToolRequests: null,
      overheadPerToolBytes: null,
    },
    outcome: null,
    warnings: [],
  };
}
