/**
 * The session-scoped cart driven the way a 2025-11-25 client does: `initialize`, then calls inside
 * the session; told "session not found", the client starts a new session, as the spec says, and
 * the old session's cart is gone. `verify()` counts what was acknowledged and lost with it.
 */
import type { Caller } from '../engine/calls.js';
import { classify, legacyRequest, post, type Outcome } from '../engine/wire.js';
import type { Invariant } from '../report/schema.js';
import type { Workload } from './workload.js';

interface Session {
  id: string;
  /** The instance that answered `initialize`: the only one that holds this session. */
  url: string | null;
  /** sku -> acknowledged units */
  added: Map<string, number>;
  lost: boolean;
}

const SKUS = ['TEA-0001', 'TEA-0002', 'COF-0001', 'KIT-0001', 'BOK-0001', 'GAR-0001', 'AUD-0001'];

export class SessionCartWorkload implements Workload {
  private readonly current: Array<Session | undefined> = [];
  private readonly sessions: Session[] = [];
  private readonly seq: number[] = [];

  constructor(
    private readonly caller: Caller,
    readonly agentCount: number,
    /** Every tenth call reads the cart back (`cart_get`) unless `reads` is false: then every call adds. */
    private readonly options: { reads?: boolean } = {},
  ) {}

  async setup(): Promise<void> {
    for (let n = 0; n < this.agentCount; n++) {
      this.current[n] = await this.open();
      this.seq[n] = 0;
    }
  }

  async step(n: number, startedMs?: number): Promise<void> {
    const session = (this.current[n] ??= await this.open());
    const seq = this.seq[n]!++;
    const add = this.options.reads === false || seq % 10 !== 9;
    const sku = SKUS[seq % SKUS.length]!;
    const params = add
      ? { name: 'cart_add_item', arguments: { sku, quantity: 1 } }
      : { name: 'cart_get', arguments: {} };
    const outcome = await this.caller.call(
      'session-cart',
      params.name,
      () => legacyRequest('tools/call', params, session.id),
      // A call may go to another instance only if its instance is gone; the session will not be there.
      { key: session.id, retryable: !add, startedMs },
    );
    if (outcome.ok && add) session.added.set(sku, (session.added.get(sku) ?? 0) + 1);
    if (!outcome.ok && outcome.kind === 'session not found') {
      session.lost = true;
      this.current[n] = undefined;
    }
  }

  /**
   * A session's cart is lost when the client was told "session not found" (it had to start over)
   * or when the instance that held it no longer has it. Sessions that never held a unit are left out.
   */
  async verify(): Promise<Invariant[]> {
    let acknowledged = 0;
    let lostUnits = 0;
    let lostCarts = 0;
    const filled = this.sessions.filter((s) => s.added.size > 0);
    for (const session of filled) {
      const units = [...session.added.values()].reduce((a, b) => a + b, 0);
      acknowledged += units;
      const held = session.lost ? null : await this.read(session);
      if (held === null || [...session.added].some(([sku, q]) => held.get(sku) !== q)) {
        lostCarts += 1;
        lostUnits += units;
      }
    }
    return [
      {
        name: 'cart quantities equal acknowledged adds',
        ok: lostCarts === 0,
        detail:
          lostCarts === 0
            ? `${acknowledged} acknowledged units in ${filled.length} session carts, all present`
            : `${lostCarts} of ${filled.length} session carts lost, with ${lostUnits} of ${acknowledged} acknowledged units`,
      },
    ];
  }

  async teardown(): Promise<void> {}

  private async open(): Promise<Session> {
    const init = legacyRequest('initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'sessionless-harness', version: '0.1.0' },
    });
    const { reply, endpoint } = await this.caller.exchange('session-cart', init, '');
    const id = reply.headers['mcp-session-id'];
    if (reply.status !== 200 || typeof id !== 'string') {
      throw new Error(`the session cart did not open a session: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
    }
    this.caller.learn('session-cart', id, endpoint);
    await this.caller.exchange('session-cart', legacyRequest('notifications/initialized', {}, id, true), id);
    const session: Session = { id, url: endpoint?.url ?? null, added: new Map(), lost: false };
    this.sessions.push(session);
    return session;
  }

  /** Asks the instance that holds the session directly: is the state still there at all? */
  private async read(session: Session): Promise<Map<string, number> | null> {
    if (!session.url) return null;
    const { headers, body } = legacyRequest('tools/call', { name: 'cart_get', arguments: {} }, session.id);
    const outcome: Outcome = await post(session.url, headers, body)
      .then((reply) => classify(reply))
      .catch(() => ({ ok: false, kind: 'gone', retryable: false, detail: '' }));
    if (!outcome.ok) return null;
    const lines = (outcome.structured.lines ?? []) as Array<{ sku: string; quantity: number }>;
    return new Map(lines.map((l) => [l.sku, l.quantity]));
  }
}
