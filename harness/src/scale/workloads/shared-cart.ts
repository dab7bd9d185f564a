/**
 * Adds to shared carts, for every workload that drives `cart_add_item`: the catalog read once, one
 * unit of a SKU the current cart can still take per add, a fresh cart when every line is full, and
 * the check that the carts hold exactly what was acknowledged (the ledger, cart-ledger.ts).
 */
import type { Outcome } from '../engine/wire.js';
import type { Invariant } from '../report/schema.js';
import { CartLedger, type CartLines } from './cart-ledger.js';
import type { ToolCaller } from './tool-caller.js';

const CATEGORIES = ['tea', 'coffee', 'kitchen', 'books', 'garden', 'audio'];

export class SharedCartAdds {
  private readonly ledger = new CartLedger();
  private newCart?: Promise<void>;

  constructor(private readonly tools: ToolCaller) {}

  /** The cart adds go to now; cart reads read it. */
  get current(): string | undefined {
    return this.ledger.current;
  }

  get carts(): readonly string[] {
    return this.ledger.carts;
  }

  /** A SKU for the n-th page visit, spread over the catalog. */
  skuAt(n: number): string | undefined {
    return this.ledger.skuAt(n);
  }

  /** Units acknowledged, and adds whose answer was lost (they may have landed), over every cart. */
  totals(): { acknowledged: number; uncertain: number } {
    return this.ledger.totals();
  }

  async setup(): Promise<void> {
    for (const category of CATEGORIES) {
      const { products } = await this.tools.must<{ products: Array<{ sku: string; stock: number }> }>(
        'cart_search_products',
        { query: category, limit: 50 },
      );
      this.ledger.addProducts(products.filter((p) => p.stock >= 10));
    }
    await this.openCart();
  }

  /** One unit added; `idempotencyKey` makes the add safe to retry on another instance. */
  async add(idempotencyKey: string | undefined, startedMs?: number): Promise<Outcome> {
    const sku = this.ledger.reserveUnit();
    if (!sku) {
      // Every SKU of this cart is at its stock: the team starts another cart (once).
      await (this.newCart ??= this.openCart().finally(() => (this.newCart = undefined)));
      return this.add(idempotencyKey, startedMs);
    }
    const cart_id = this.ledger.current!;
    const args = idempotencyKey
      ? { cart_id, sku, quantity: 1, idempotency_key: idempotencyKey }
      : { cart_id, sku, quantity: 1 };
    const outcome = await this.tools.call('cart_add_item', args, startedMs);
    this.ledger.record(cart_id, sku, outcome.ok ? 'acknowledged' : outcome.retryable ? 'lost' : 'refused');
    return outcome;
  }

  /** Every cart read back: each acknowledged unit present, nothing beyond what may have landed. */
  async verify(): Promise<Invariant> {
    const held = new Map<string, CartLines>();
    for (const cart_id of this.ledger.carts) {
      held.set(cart_id, (await this.tools.must<{ lines: CartLines }>('cart_get', { cart_id })).lines);
    }
    return this.ledger.verify(held);
  }

  /** Best effort, at teardown. */
  destroyAll(): Array<Promise<Outcome>> {
    return this.ledger.carts.map((cart_id) => this.tools.call('cart_destroy', { cart_id }));
  }

  private async openCart(): Promise<void> {
    this.ledger.openCart((await this.tools.must<{ cart_id: string }>('cart_create', {})).cart_id);
  }
}
