/**
 * The micro-benchmark's `cart_add_item`: every step adds one unit to a shared cart (the plain add,
 * no idempotency key). Afterwards the server's side must agree: its /metrics count of successful
 * adds is the acknowledged adds (plus at most those whose answer was lost), it counted no tool
 * error, and the carts hold exactly the acknowledged units.
 */
import type { Caller } from '../engine/calls.js';
import { readToolCalls } from '../engine/server-metrics.js';
import type { Invariant } from '../report/schema.js';
import { SharedCartAdds } from './shared-cart.js';
import { ToolCaller } from './tool-caller.js';
import { readToolbook } from './toolbook.js';
import type { Workload } from './workload.js';

/** The cart server under test: its route name, MCP endpoint, origin (for /metrics) and a token. */
export interface CartTarget {
  server: string;
  url: string;
  origin: string;
  token: string;
}

export class CartAddsWorkload implements Workload {
  private adds?: SharedCartAdds;
  private before: Record<string, number> = {};

  constructor(
    private readonly caller: Caller,
    readonly agentCount: number,
    private readonly target: CartTarget,
  ) {}

  async setup(): Promise<void> {
    const { server, url, token } = this.target;
    const book = await readToolbook({ [server]: url }, token);
    this.adds = new SharedCartAdds(new ToolCaller(this.caller, book, token));
    await this.adds.setup();
    this.before = await readToolCalls(this.target.origin, 'cart_add_item');
  }

  async step(_n: number, startedMs?: number): Promise<void> {
    await this.adds!.add(undefined, startedMs);
  }

  async verify(): Promise<Invariant[]> {
    const carts = await this.adds!.verify();
    const after = await readToolCalls(this.target.origin, 'cart_add_item');
    return [...serverCountChecks(this.before, after, this.adds!.totals()), carts];
  }

  async teardown(): Promise<void> {
    await Promise.allSettled(this.adds?.destroyAll() ?? []);
  }
}

/**
 * The server's count of the run's calls of `tool` (every call had finished when it was read)
 * against the client's: between the acknowledged calls and those plus the calls whose answer was lost.
 */
export function serverCountChecks(
  before: Record<string, number>,
  after: Record<string, number>,
  client: { acknowledged: number; uncertain: number },
  tool = 'cart_add_item',
): Invariant[] {
  const delta = (outcome: string) => (after[outcome] ?? 0) - (before[outcome] ?? 0);
  const ok = delta('ok');
  const errors = delta('tool_error') + delta('exception');
  const { acknowledged, uncertain } = client;
  const calls = tool === 'cart_add_item' ? 'adds' : `${tool} calls`;
  const unsure = uncertain ? ` (+ up to ${uncertain} whose answer was lost)` : '';
  return [
    {
      name: `the server's /metrics count of successful ${calls} equals the acknowledged ${calls}`,
      ok: ok >= acknowledged && ok <= acknowledged + uncertain,
      detail: `server counted ${ok} successful ${tool} calls, the client acknowledged ${acknowledged}${unsure}`,
    },
    {
      name: 'the server counted no tool error',
      ok: errors === 0,
      detail: `${errors} ${tool} calls ended in a tool error or an exception`,
    },
  ];
}
