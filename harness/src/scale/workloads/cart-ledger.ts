/**
 * The scale workload's bookkeeping for its shared carts: which SKU the next add takes (never more
 * than a product's stock per cart, so every add can succeed), what each cart should hold - adds
 * acknowledged, and adds whose answer was lost and may or may not have landed - and the check
 * of a cart's real lines against that.
 */
import type { Invariant } from '../report/schema.js';

export type CartLines = Array<{ sku: string; quantity: number }>;

export class CartLedger {
  readonly carts: string[] = [];
  private readonly skus: Array<{ sku: string; stock: number; left: number }> = [];
  private next = 0;
  /** cart -> sku -> units */
  private readonly added = new Map<string, Map<string, number>>();
  private readonly uncertain = new Map<string, Map<string, number>>();

  addProducts(products: Array<{ sku: string; stock: number }>): void {
    this.skus.push(...products.map((p) => ({ sku: p.sku, stock: p.stock, left: p.stock })));
  }

  /** A SKU for the n-th page visit, spread over the catalog. */
  skuAt(n: number): string | undefined {
    return this.skus.length ? this.skus[n % this.skus.length]!.sku : undefined;
  }

  get current(): string | undefined {
    return this.carts.at(-1);
  }

  /** A fresh cart can take each product's whole stock again. */
  openCart(cartId: string): void {
    this.carts.push(cartId);
    this.added.set(cartId, new Map());
    this.uncertain.set(cartId, new Map());
    for (const line of this.skus) line.left = line.stock;
  }

  /** One unit of the next SKU with stock left in the current cart, or undefined when all are full. */
  reserveUnit(): string | undefined {
    for (let tries = 0; tries < this.skus.length; tries++) {
      const line = this.skus[this.next++ % this.skus.length]!;
      if (line.left > 0) {
        line.left -= 1;
        return line.sku;
      }
    }
    return undefined;
  }

  /** An add's outcome: acknowledged, or lost on the way back (it may have landed), or refused. */
  record(cartId: string, sku: string, outcome: 'acknowledged' | 'lost' | 'refused'): void {
    if (outcome === 'refused') return;
    const lines = (outcome === 'acknowledged' ? this.added : this.uncertain).get(cartId)!;
    lines.set(sku, (lines.get(sku) ?? 0) + 1);
  }

  /** Units acknowledged, and adds whose answer was lost, summed over every cart. */
  totals(): { acknowledged: number; uncertain: number } {
    const sum = (lines: Map<string, Map<string, number>>) =>
      [...lines.values()].reduce((total, cart) => total + [...cart.values()].reduce((a, b) => a + b, 0), 0);
    return { acknowledged: sum(this.added), uncertain: sum(this.uncertain) };
  }

  /** Every acknowledged unit is in its cart, and nothing beyond what may have landed. */
  verify(held: Map<string, CartLines>): Invariant {
    const wrong: string[] = [];
    let units = 0;
    let unsure = 0;
    for (const cartId of this.carts) {
      const expected = this.added.get(cartId)!;
      const maybe = this.uncertain.get(cartId)!;
      const lines = new Map((held.get(cartId) ?? []).map((l) => [l.sku, l.quantity]));
      for (const sku of new Set([...expected.keys(), ...lines.keys(), ...maybe.keys()])) {
        const want = expected.get(sku) ?? 0;
        const have = lines.get(sku) ?? 0;
        const extra = maybe.get(sku) ?? 0;
        units += want;
        unsure += extra;
        if (have < want || have > want + extra) wrong.push(`${sku}: ${have} in the cart, ${want} acknowledged`);
      }
    }
    const doubt = unsure ? ` (and ${unsure} adds whose answer was lost, which may or may not have landed)` : '';
    return {
      name: 'cart quantities equal acknowledged adds',
      ok: wrong.length === 0,
      detail: wrong.length
        ? `${wrong.length} lines differ: ${wrong.slice(0, 3).join('; ')}${doubt}`
        : `${units} acknowledged units on ${this.carts.length} shared cart(s), all present, none extra${doubt}`,
    };
  }
}
