/**
 * The workspace benchmark's throughput phases, measured by the harness's engine (the load
 * generator the scale and bench runs use): a closed loop of tools/calls on one shared workspace,
 * every answer classified, CPU read from /proc; and the check that every acknowledged write landed.
 */
import { createHash } from 'node:crypto';
import { measure, modernCall, type Endpoint, type Workload } from '@sessionless/harness';

export interface LoadRequest {
  args: Record<string, unknown>;
}

export interface LoadOptions<R extends LoadRequest> {
  server: Endpoint;
  token: string;
  workspaceId: string;
  tool: string;
  agents: number;
  warmupSeconds: number;
  seconds: number;
  /** The next request's arguments (and whatever the caller tracks with them). */
  next: () => R;
  onSent?: (request: R) => void;
  onAcknowledged?: (request: R) => void;
  log: (line: string) => void;
}

export interface Throughput {
  requests: number;
  ok: number;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number | null;
  p99Ms: number | null;
  serverCpuPercentOfCore: number;
  boxCpuPercentOfCore: number;
  /** Why the phase does not count (errors, no call completed), or null. */
  problem: string | null;
}

export async function throughput<R extends LoadRequest>(options: LoadOptions<R>): Promise<Throughput> {
  const { server, token, workspaceId, tool } = options;
  const run = await measure({
    target: tool,
    instances: { replicas: { workspace: [server] }, pids: () => [server.pid!], kill: async () => [] },
    routing: 'round-robin',
    affinityHeaders: {},
    load: { mode: 'closed' },
    agents: options.agents,
    seconds: options.seconds,
    warmupSeconds: options.warmupSeconds,
    log: options.log,
    workload: (caller): Workload => ({
      agentCount: options.agents,
      setup: async () => {},
      step: async (_n, startedMs) => {
        const request = options.next();
        options.onSent?.(request);
        const outcome = await caller.call(
          'workspace',
          tool,
          () => modernCall(tool, request.args, { token, handleHeader: ['Mcp-Param-Workspace-Id', workspaceId] }),
          { key: workspaceId, retryable: false, startedMs },
        );
        if (outcome.ok) options.onAcknowledged?.(request);
      },
      verify: async () => [],
      teardown: async () => {},
    }),
  });
  const errors = Object.values(run.errors).reduce((sum, n) => sum + n, 0);
  const calls = run.byTool[tool] ?? { ok: 0, failed: 0 };
  const broken = run.invariants.filter((i) => !i.ok).map((i) => i.detail);
  const kinds = Object.keys(run.errors).join(', ');
  return {
    requests: calls.ok + calls.failed,
    ok: run.succeeded,
    errors,
    seconds: run.seconds,
    rps: run.throughput,
    p50Ms: run.latencyMs.p50,
    p99Ms: run.latencyMs.p99,
    serverCpuPercentOfCore: run.cpu.serversPct,
    boxCpuPercentOfCore: run.cpu.machinePct,
    problem: run.ok ? null : [...(errors ? [`${errors} failed requests (${kinds})`] : []), ...broken].join('; '),
  };
}

/** How many paths do not hold their last acknowledged write (a write in flight at the stop may have won). */
export function lostWrites(
  etags: Map<string, string>,
  lastWritten: Map<string, string>,
  lastSent: Map<string, string>,
): number {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  let lost = 0;
  for (const [path, content] of lastWritten) {
    const etag = etags.get(path);
    if (etag !== sha256(content) && etag !== sha256(lastSent.get(path) ?? '')) lost++;
  }
  return lost;
}
