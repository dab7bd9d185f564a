/**
 * The scenario's tool workload on the sessionless servers: set-up as the shopping team's
 * orchestrator does it (a shared cart, a base workspace; each agent its own fork and browser),
 * then one tool call per step, picked by weight. `verify()` checks every acknowledged write is
 * there - units per cart and SKU, the etag of every note - and nothing extra.
 */
import { UsageError } from '../../shared/errors.js';
import type { Caller } from '../engine/calls.js';
import type { Invariant } from '../report/schema.js';
import { SharedCartAdds } from './shared-cart.js';
import { ToolCaller } from './tool-caller.js';
import { factsOrThrow, type Toolbook } from './toolbook.js';
import type { Workload } from './workload.js';

export interface MixSpec {
  name: string;
  agents: number;
  mix: Array<{ tool: string; weight: number }>;
}

interface Agent {
  fork?: string;
  browser?: string;
  notes: string[];
  seq: number;
}

/** The tools a scale workload can call: each needs its arguments made and its effect recorded. */
export const DRIVABLE_TOOLS = [
  'cart_add_item',
  'cart_get',
  'workspace_write_file',
  'workspace_read_file',
  'browser_navigate',
  'browser_snapshot',
];

export class MixWorkload implements Workload {
  private readonly weights: number[];
  private readonly total: number;
  private agents: Agent[] = [];
  private base?: string;
  private readonly tools: ToolCaller;
  private readonly sharedCart: SharedCartAdds;
  /** fork -> path -> acknowledged etag */
  private readonly written = new Map<string, Map<string, string>>();
  private readonly uses: Set<string>;

  constructor(
    readonly spec: MixSpec,
    caller: Caller,
    book: Toolbook,
    private readonly context: { token?: string; siteOrigin?: string; runId: string },
  ) {
    for (const { tool } of spec.mix) {
      if (!book.has(tool)) {
        throw new UsageError(
          `the scale workload "${spec.name}" names the tool ${tool}, which no server lists; ` +
            `expected one of ${[...book.keys()].sort().join(', ')}`,
        );
      }
    }
    this.uses = new Set(spec.mix.map(({ tool }) => factsOrThrow(book, tool).server));
    this.weights = spec.mix.map((m) => m.weight);
    this.total = this.weights.reduce((a, b) => a + b, 0);
    this.tools = new ToolCaller(caller, book, context.token);
    this.sharedCart = new SharedCartAdds(this.tools);
  }

  get agentCount(): number {
    return this.spec.agents;
  }

  async setup(): Promise<void> {
    if (this.uses.has('cart')) await this.sharedCart.setup();
    if (this.uses.has('workspace')) {
      const readme = { path: 'README.md', content: `# Scale run ${this.context.runId}\n` };
      this.base = (
        await this.tools.must<{ workspace_id: string }>('workspace_create', { name: 'scale-base', files: [readme] })
      ).workspace_id;
    }
    this.agents = Array.from({ length: this.spec.agents }, () => ({ notes: [], seq: 0 }));
    await Promise.all(
      this.agents.map(async (agent, n) => {
        if (this.base) {
          const fork = await this.tools.must<{ workspace_id: string }>('workspace_fork', {
            workspace_id: this.base,
            name: `agent-${n}`,
          });
          agent.fork = fork.workspace_id;
          this.written.set(agent.fork, new Map());
        }
        if (this.uses.has('browser')) {
          const start_url = `${this.context.siteOrigin}/products`;
          agent.browser = (await this.tools.must<{ browser_id: string }>('browser_create', { start_url })).browser_id;
          // The first call on the handle's own instance (under affinity) builds its page before the clock starts.
          await this.tools.must('browser_snapshot', { browser_id: agent.browser });
        }
      }),
    );
  }

  async step(n: number, startedMs?: number): Promise<void> {
    const agent = this.agents[n]!;
    const seq = agent.seq++;
    const tool = this.pick(seq, n);
    switch (tool) {
      case 'cart_add_item':
        return void (await this.sharedCart.add(`${this.context.runId}-${n}-${seq}`, startedMs));
      case 'cart_get':
        return void (await this.tools.call(tool, { cart_id: this.sharedCart.current! }, startedMs));
      case 'workspace_write_file': {
        const path = `notes/agent-${n}/note-${seq}.md`;
        const outcome = await this.tools.call(
          tool,
          { workspace_id: agent.fork!, path, content: note(n, seq) },
          startedMs,
        );
        if (outcome.ok) {
          this.written.get(agent.fork!)!.set(path, String(outcome.structured.etag));
          agent.notes.push(path);
        }
        return;
      }
      case 'workspace_read_file': {
        const path = agent.notes.length ? agent.notes[seq % agent.notes.length]! : 'README.md';
        return void (await this.tools.call(tool, { workspace_id: agent.fork!, path }, startedMs));
      }
      case 'browser_navigate': {
        const sku = this.sharedCart.skuAt(seq) ?? 'TEA-0001';
        const url = `${this.context.siteOrigin}/product/${sku}`;
        return void (await this.tools.call(tool, { browser_id: agent.browser!, url }, startedMs));
      }
      case 'browser_snapshot':
        return void (await this.tools.call(tool, { browser_id: agent.browser! }, startedMs));
      default:
        throw new UsageError(`the scale workload "${this.spec.name}" cannot drive ${tool} yet`);
    }
  }

  async verify(): Promise<Invariant[]> {
    const invariants: Invariant[] = [];
    if (this.sharedCart.carts.length) invariants.push(await this.sharedCart.verify());
    if (this.written.size) invariants.push(await this.verifyNotes());
    return invariants;
  }

  async teardown(): Promise<void> {
    const ends = [
      ...this.sharedCart.destroyAll(),
      ...(this.base ? [this.tools.call('workspace_destroy', { workspace_id: this.base })] : []),
      ...this.agents.flatMap((a) => [
        ...(a.fork ? [this.tools.call('workspace_destroy', { workspace_id: a.fork })] : []),
        ...(a.browser ? [this.tools.call('browser_destroy', { browser_id: a.browser })] : []),
      ]),
    ];
    await Promise.allSettled(ends);
  }

  private async verifyNotes(): Promise<Invariant> {
    const missing: string[] = [];
    let notes = 0;
    for (const [fork, expected] of this.written) {
      const listing = await this.tools.must<{ files: Array<{ path: string; etag: string }> }>('workspace_list_files', {
        workspace_id: fork,
        prefix: 'notes/',
        limit: 10_000,
      });
      const held = new Map(listing.files.map((f) => [f.path, f.etag]));
      for (const [path, etag] of expected) {
        notes += 1;
        if (held.get(path) !== etag) missing.push(`${path} in ${fork}`);
      }
    }
    return {
      name: 'every acknowledged workspace write is present',
      ok: missing.length === 0,
      detail: missing.length
        ? `${missing.length} of ${notes} acknowledged notes missing or different: ${missing.slice(0, 3).join('; ')}`
        : `${notes} acknowledged notes in ${this.written.size} forks, each with the content written`,
    };
  }

  private pick(seq: number, n: number): string {
    // A fixed, evenly spread sequence per agent (no randomness, so runs are comparable).
    let point = ((seq * 7919 + n * 104_729) % this.total) + 0.5;
    for (let i = 0; i < this.weights.length; i++) {
      point -= this.weights[i]!;
      if (point < 0) return this.spec.mix[i]!.tool;
    }
    return this.spec.mix.at(-1)!.tool;
  }
}

function note(n: number, seq: number): string {
  return `# Note ${seq} from agent ${n}\n\nWritten during a scale run; the check at the end reads it back.\n`;
}
