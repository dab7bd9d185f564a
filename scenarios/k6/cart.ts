/**
 * The `cart` workload of scenarios/shopping-team.json: every agent (VU) adds one unit at a time to
 * one shared cart and now and then reads it back, against one cart server or several
 * (CART_URL=url1,url2: round-robin per request, no affinity). The gate: no failed call, and the
 * cart holds exactly the units the server acknowledged.
 */
import type { Options } from 'k6/options';
import { addUnit, checkSharedCart, openSharedCart, type SharedCart } from './lib/cart.ts';
import { loadShape, markPhase } from './lib/load.ts';
import { callTool, mcpTarget, requireReachable } from './lib/mcp.ts';
import { pickTool, workload } from './lib/scenario.ts';

const CART = mcpTarget('cart', 'CART_URL', __ENV.CART_URL ?? 'http://127.0.0.1:3101/mcp');
const WORKLOAD = workload('cart', ['cart_add_item', 'cart_get']);

export const options: Options = {
  scenarios: loadShape(WORKLOAD),
  thresholds: {
    cart_errors: ['rate==0'],
    cart_units_unaccounted: ['count==0'],
    // Measured on loopback (reports/bench-cart.json), one cart process answers ~1,000 adds/s with
    // p99 ~130 ms under 50 connections; 32 agents queue a little less. 1 s leaves room for a slow
    // CI runner and still catches a stall: a blocked event loop, a lock convoy, a retry storm.
    'cart_call_duration{phase:measure}': ['p(99)<1000'],
  },
};

export function setup(): SharedCart {
  requireReachable(CART, 'cart_list');
  return openSharedCart(CART);
}

export default function (cart: SharedCart): void {
  markPhase();
  if (pickTool(WORKLOAD.mix) === 'cart_add_item') addUnit(CART, cart);
  else callTool(CART, 'cart_get', { cart_id: cart.cartId });
}

export function teardown(cart: SharedCart): void {
  checkSharedCart(CART, cart);
}
