/**
 * The shared cart both scripts fill, and its invariant: nothing acknowledged is lost. Setup creates
 * the cart and chooses SKUs; every add is one unit with an idempotency key, retried on the next
 * instance when the answer is lost; teardown reads the cart back, and the `cart_units_unaccounted`
 * threshold fails the run unless the cart holds exactly the units that were acknowledged.
 */
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import { callTool, mustCall, stop, type CallResult, type Target } from './mcp.ts';
import { scenario } from './scenario.ts';

export interface SharedCart {
  cartId: string;
  /** SKUs, each repeated in proportion to its stock (see `chooseSkus`). */
  skus: string[];
  /** Unique per run, so idempotency keys never collide with an earlier run's. */
  run: string;
}

interface Product {
  sku: string;
  stock: number;
}

const acknowledged = new Counter('cart_units_acknowledged');
const found = new Counter('cart_units_in_cart');
// k6 metrics cannot be read back in a script, so the comparison is a sum the engine does across
// VUs: +1 per acknowledged unit, minus what teardown finds. The `count==0` threshold is the gate.
const unaccounted = new Counter('cart_units_unaccounted');
const retries = new Counter('cart_add_retries');

const MAX_ATTEMPTS = 3;
let addsByThisVu = 0;

/** Setup: one cart every VU shares, and the SKUs to add. */
export function openSharedCart(cart: Target): SharedCart {
  const { cart_id } = mustCall<{ cart_id: string }>(cart, 'cart_create', {});
  const stock = new Map<string, number>();
  for (const query of scenario.searches) {
    const { products } = mustCall<{ products: Product[] }>(cart, 'cart_search_products', { query, limit: 50 });
    for (const product of products) stock.set(product.sku, product.stock);
  }
  const skus = chooseSkus(stock);
  if (skus.length === 0)
    stop(
      `cart_search_products found no product with ${scenario.minStock}+ in stock for ${scenario.searches.join(', ')}`,
    );
  return { cartId: cart_id, skus, run: `k6-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}` };
}

/**
 * A line may not exceed its product's stock. Each SKU gets one slot per `minStock` units,
 * interleaved, and VUs walk the slots from spread-out offsets: adds land in proportion to stock,
 * so the cart takes about the sum of the stocks before any line is full.
 */
function chooseSkus(stock: Map<string, number>): string[] {
  const slots = [...stock].map(([sku, units]) => ({ sku, count: Math.floor(units / scenario.minStock) }));
  const rounds = Math.max(0, ...slots.map((slot) => slot.count));
  const skus: string[] = [];
  for (let round = 0; round < rounds; round++) for (const slot of slots) if (slot.count > round) skus.push(slot.sku);
  return skus;
}

/** VU: add one unit; a lost answer is retried with the same key, so the unit is added at most once. */
export function addUnit(cart: Target, shared: SharedCart): CallResult<unknown> {
  const vu = exec.vu.idInTest;
  const n = addsByThisVu++;
  const args = {
    cart_id: shared.cartId,
    sku: shared.skus[(vu * 7919 + n) % shared.skus.length],
    quantity: 1,
    idempotency_key: `${shared.run}-${vu}-${n}`,
  };
  let result = callTool(cart, 'cart_add_item', args);
  for (let attempt = 2; attempt <= MAX_ATTEMPTS && isLostAnswer(result); attempt++) {
    retries.add(1);
    result = callTool(cart, 'cart_add_item', args);
  }
  if (result.ok) {
    acknowledged.add(1);
    unaccounted.add(1);
  }
  return result;
}

/** No answer, or the instance failed: the add may or may not have happened, so only a retry tells. */
function isLostAnswer(result: CallResult<unknown>): boolean {
  return result.code === 'NETWORK' || result.status >= 500;
}

/** Teardown: account for the units in the cart, then release it. */
export function checkSharedCart(cart: Target, shared: SharedCart): void {
  const result = callTool<{ item_count: number }>(cart, 'cart_get', { cart_id: shared.cartId });
  if (!result.ok || !result.data) {
    exec.test.fail(`teardown could not read cart ${shared.cartId} back (${result.code}: ${result.message})`);
    return;
  }
  found.add(result.data.item_count);
  unaccounted.add(-result.data.item_count);
  callTool(cart, 'cart_destroy', { cart_id: shared.cartId });
}
