/**
 * The micro-benchmark's cheap calls: every step is one read-only tool call (`workspace_read_file`
 * of a file set-up wrote, `browser_list`), the kind a server answers most. Afterwards the server's
 * /metrics count of successful calls must equal the acknowledged ones, with no tool error.
 */
import type { Caller } from '../engine/calls.js';
import { readToolCalls } from '../engine/server-metrics.js';
import type { Invariant } from '../report/schema.js';
import { serverCountChecks, type CartTarget } from './cart-adds.js';
import { ToolCaller } from './tool-caller.js';
import { readToolbook } from './toolbook.js';
import type { Workload } from './workload.js';

/** What to read: the tool and its arguments, given what set-up made (a handle id, or nothing). */
export interface ReadPlan {
  tool: string;
  /** A call that makes what the reads read; returns the handle id the reads pass. */
  setup?: (tools: ToolCaller) => Promise<string>;
  args: (handle: string | undefined) => Record<string, unknown>;
  /** Frees what set-up made. */
  teardown?: (tools: ToolCaller, handle: string) => Promise<unknown>;
}

export class ReadsWorkload implements Workload {
  private tools?: ToolCaller;
  private handle?: string;
  private before: Record<string, number> = {};
  private acknowledged = 0;
  private uncertain = 0;

  constructor(
    private readonly caller: Caller,
    readonly agentCount: number,
    private readonly target: CartTarget,
    private readonly plan: ReadPlan,
  ) {}

  async setup(): Promise<void> {
    const { server, url, token } = this.target;
    this.tools = new ToolCaller(this.caller, await readToolbook({ [server]: url }, token), token);
    this.handle = await this.plan.setup?.(this.tools);
    this.before = await readToolCalls(this.target.origin, this.plan.tool);
  }

  async step(_n: number, startedMs?: number): Promise<void> {
    const outcome = await this.tools!.call(this.plan.tool, this.plan.args(this.handle), startedMs);
    if (outcome.ok) this.acknowledged += 1;
    else if (outcome.retryable) this.uncertain += 1;
  }

  async verify(): Promise<Invariant[]> {
    const after = await readToolCalls(this.target.origin, this.plan.tool);
    const client = { acknowledged: this.acknowledged, uncertain: this.uncertain };
    return serverCountChecks(this.before, after, client, this.plan.tool);
  }

  async teardown(): Promise<void> {
    if (this.tools && this.handle) await this.plan.teardown?.(this.tools, this.handle).catch(() => undefined);
  }
}

/** A 1 KiB text file in a fresh workspace, read whole by every step. */
export const WORKSPACE_READS: ReadPlan = {
  tool: 'workspace_read_file',
  setup: async (tools) => {
    const created = await tools.must<{ workspace_id: string }>('workspace_create', {
      name: 'bench',
      files: [{ path: 'docs/notes.md', content: `# Notes\n\n${'A line of notes for the benchmark.\n'.repeat(30)}` }],
    });
    return created.workspace_id;
  },
  args: (workspace_id) => ({ workspace_id, path: 'docs/notes.md' }),
  teardown: (tools, workspace_id) => tools.call('workspace_destroy', { workspace_id }),
};

/** The caller's browsers (none: the list is a store read, and no Chromium is launched). */
export const BROWSER_LISTS: ReadPlan = { tool: 'browser_list', args: () => ({}) };
