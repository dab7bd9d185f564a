/**
 * The scenario's tool workload on the sessionless servers. Set-up does what the orchestrator of
 * the shopping team does: one shared cart and one base workspace; each virtual agent forks the
 * workspace and creates its own browser. Then each step is one tool call picked by weight. The
 * ledger remembers every acknowledged write - units per cart and SKU, the etag of every note -
 * and `verify()` checks the stores hold exactly that: nothing acknowledged lost, nothing extra.
 */
import { UsageError } from '../../shared/errors.js';
import type { Caller } from '../engine/calls.js';
import { CartLedger, type CartLines } from './cart-ledger.js';
import type { Invariant } from '../report/schema.js';
import { factsOrThrow, type Toolbook } from './toolbook.js';
import type { Outcome } from '../engine/wire.js';
import { modernCall } from '../engine/wire.js';
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

const CATEGORIES = ['tea', 'coffee', 'kitchen', 'books', 'garden', 'audio'];

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
  private readonly ledger = new CartLedger();
  private newCart?: Promise<void>;
  /** fork -> path -> acknowledged etag */
  private readonly written = new Map<string, Map<string, string>>();
  private readonly uses: Set<string>;

  constructor(
    readonly spec: MixSpec,
    private readonly caller: Caller,
    private readonly book: Toolbook,
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
  }

  get agentCount(): number {
    return this.spec.agents;
  }

  async setup(): Promise<void> {
    if (this.uses.has('cart')) {
      for (const category of CATEGORIES) {
        const { products } = await this.must<{ products: Array<{ sku: string; stock: number }> }>(
          'cart_search_products',
          {
            query: category,
            limit: 50,
          },
        );
        this.ledger.addProducts(products.filter((p) => p.stock >= 10));
      }
      await this.createCart();
    }
    if (this.uses.has('workspace')) {
      const readme = { path: 'README.md', content: `# Scale run ${this.context.runId}\n` };
      this.base = (
        await this.must<{ workspace_id: string }>('workspace_create', { name: 'scale-base', files: [readme] })
      ).workspace_id;
    }
    this.agents = Array.from({ length: this.spec.agents }, () => ({ notes: [], seq: 0 }));
    await Promise.all(
      this.agents.map(async (agent, n) => {
        if (this.base) {
          const fork = await this.must<{ workspace_id: string }>('workspace_fork', {
            workspace_id: this.base,
            name: `agent-${n}`,
          });
          agent.fork = fork.workspace_id;
          this.written.set(agent.fork, new Map());
        }
        if (this.uses.has('browser')) {
          const start_url = `${this.context.siteOrigin}/products`;
          agent.browser = (await this.must<{ browser_id: string }>('browser_create', { start_url })).browser_id;
          // The first call on the handle's own instance (under affinity) builds its page before the clock starts.
          await this.must('browser_snapshot', { browser_id: agent.browser });
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
        return this.add(n, seq, startedMs);
      case 'cart_get':
        return void (await this.call(tool, { cart_id: this.ledger.current! }, startedMs));
      case 'workspace_write_file': {
        const path = `notes/agent-${n}/note-${seq}.md`;
        const outcome = await this.call(tool, { workspace_id: agent.fork!, path, content: note(n, seq) }, startedMs);
        if (outcome.ok) {
          this.written.get(agent.fork!)!.set(path, String(outcome.structured.etag));
          agent.notes.push(path);
        }
        return;
      }
      case 'workspace_read_file': {
        const path = agent.notes.length ? agent.notes[seq % agent.notes.length]! : 'README.md';
        return void (await this.call(tool, { workspace_id: agent.fork!, path }, startedMs));
      }
      case 'browser_navigate': {
        const sku = this.ledger.skuAt(seq) ?? 'TEA-0001';
        const url = `${this.context.siteOrigin}/product/${sku}`;
        return void (await this.call(tool, { browser_id: agent.browser!, url }, startedMs));
      }
      case 'browser_snapshot':
        return void (await this.call(tool, { browser_id: agent.browser! }, startedMs));
      default:
        throw new UsageError(`the scale workload "${this.spec.name}" cannot drive ${tool} yet`);
    }
  }

  async verify(): Promise<Invariant[]> {
    const invariants: Invariant[] = [];
    if (this.ledger.carts.length) invariants.push(await this.verifyCarts());
    if (this.written.size) invariants.push(await this.verifyNotes());
    return invariants;
  }

  async teardown(): Promise<void> {
    const ends = [
      ...this.ledger.carts.map((cart_id) => this.call('cart_destroy', { cart_id })),
      ...(this.base ? [this.call('workspace_destroy', { workspace_id: this.base })] : []),
      ...this.agents.flatMap((a) => [
        ...(a.fork ? [this.call('workspace_destroy', { workspace_id: a.fork })] : []),
        ...(a.browser ? [this.call('browser_destroy', { browser_id: a.browser })] : []),
      ]),
    ];
    await Promise.allSettled(ends);
  }

  private async add(n: number, seq: number, startedMs?: number): Promise<void> {
    const sku = this.ledger.reserveUnit();
    if (!sku) {
      // Every SKU of this cart is at its stock: the team starts another cart (once).
      await (this.newCart ??= this.createCart().finally(() => (this.newCart = undefined)));
      return this.add(n, seq, startedMs);
    }
    const cart_id = this.ledger.current!;
    const idempotency_key = `${this.context.runId}-${n}-${seq}`;
    const outcome = await this.call('cart_add_item', { cart_id, sku, quantity: 1, idempotency_key }, startedMs);
    this.ledger.record(cart_id, sku, outcome.ok ? 'acknowledged' : outcome.retryable ? 'lost' : 'refused');
  }

  private async createCart(): Promise<void> {
    this.ledger.openCart((await this.must<{ cart_id: string }>('cart_create', {})).cart_id);
  }

  private async verifyCarts(): Promise<Invariant> {
    const held = new Map<string, CartLines>();
    for (const cart_id of this.ledger.carts) {
      held.set(cart_id, (await this.must<{ lines: CartLines }>('cart_get', { cart_id })).lines);
    }
    return this.ledger.verify(held);
  }

  private async verifyNotes(): Promise<Invariant> {
    const missing: string[] = [];
    let notes = 0;
    for (const [fork, expected] of this.written) {
      const listing = await this.must<{ files: Array<{ path: string; etag: string }> }>('workspace_list_files', {
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

  private call(tool: string, args: Record<string, unknown>, startedMs?: number): Promise<Outcome> {
    const facts = factsOrThrow(this.book, tool);
    const handle = facts.handle ? String(args[facts.handle.argument] ?? '') : '';
    return this.caller.call(
      facts.server,
      tool,
      () =>
        modernCall(tool, args, {
          token: this.context.token,
          handleHeader: facts.handle && handle ? [facts.handle.header, handle] : undefined,
        }),
      { key: handle, retryable: facts.repeatable || 'idempotency_key' in args, startedMs },
    );
  }

  /** A call the run cannot do without (set-up, checks): its failure stops the run with the reason. */
  private async must<T>(tool: string, args: Record<string, unknown>): Promise<T> {
    const outcome = await this.call(tool, args);
    if (!outcome.ok) throw new Error(`${tool} failed during set-up or checks: ${outcome.kind}: ${outcome.detail}`);
    return outcome.structured as T;
  }
}

function note(n: number, seq: number): string {
  return `# Note ${seq} from agent ${n}\n\nWritten during a scale run; the check at the end reads it back.\n`;
}
