/**
 * The kit's lean path answers the cart's requests exactly as the SDK's handler does: every cart
 * tool (successes and refusals), the hand-picked variants around cart_add_item, and generated
 * requests, each sent to a copy with LEAN_PATH=on and a copy with LEAN_PATH=off over real HTTP.
 */
import { Differential, leanCorpus, type ToolCall } from '@sessionless/kit/testing/lean-path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cartTools } from '../src/index.js';
import { cartInProcess } from './helpers.js';

/** Cart and order ids: random in each copy, compared by the order they were minted. */
const IDS = /(?:cart|ord)_[A-Za-z0-9_-]{16,}/g;
// A fixed corpus in CI; LEAN_DIFF_SEED and LEAN_DIFF_RUNS explore others.
const corpus = leanCorpus(cartTools);
const SEED = Number(process.env.LEAN_DIFF_SEED ?? 20261207);
const RUNS = Number(process.env.LEAN_DIFF_RUNS ?? 200);

describe('lean path: the cart answers as the SDK does', () => {
  let pair: Differential;
  beforeAll(async () => {
    pair = await Differential.start({ open: (env) => cartInProcess(env), ids: IDS });
  });
  afterAll(() => pair?.close());

  const cart = '<id#0>';
  const other = '<id#1>';
  const script: Array<[ToolCall, 'success' | 'refusal']> = [
    [{ name: 'cart_create', arguments: {} }, 'success'],
    [{ name: 'cart_create', arguments: { currency: 'EUR' } }, 'success'],
    [{ name: 'cart_search_products', arguments: { query: 'tea', limit: 3 } }, 'success'],
    [{ name: 'cart_get_product', arguments: { sku: 'TEA-0003' } }, 'success'],
    [{ name: 'cart_get_product', arguments: { sku: 'NOPE-0000' } }, 'refusal'],
    [{ name: 'cart_add_item', arguments: { cart_id: cart, sku: 'TEA-0003', quantity: 2 } }, 'success'],
    [
      {
        name: 'cart_add_item',
        arguments: { cart_id: cart, sku: 'TEA-0004', quantity: 1, idempotency_key: 'add-once-1' },
      },
      'success',
    ],
    [
      {
        name: 'cart_add_item',
        arguments: { cart_id: cart, sku: 'TEA-0004', quantity: 1, idempotency_key: 'add-once-1' },
      },
      'success',
    ],
    [{ name: 'cart_add_item', arguments: { cart_id: cart, sku: 'TEA-0003', quantity: 1000 } }, 'refusal'],
    [{ name: 'cart_update_item', arguments: { cart_id: cart, sku: 'TEA-0003', quantity: 5 } }, 'success'],
    [
      { name: 'cart_update_item', arguments: { cart_id: cart, sku: 'TEA-0003', quantity: 4, expected_version: 0 } },
      'refusal',
    ],
    [{ name: 'cart_remove_item', arguments: { cart_id: cart, sku: 'TEA-0004' } }, 'success'],
    [{ name: 'cart_remove_item', arguments: { cart_id: cart, sku: 'TEA-0099' } }, 'refusal'],
    [{ name: 'cart_get', arguments: { cart_id: cart } }, 'success'],
    [{ name: 'cart_list', arguments: {} }, 'success'],
    [{ name: 'cart_checkout', arguments: { cart_id: cart, idempotency_key: 'checkout-1' } }, 'success'],
    [{ name: 'cart_checkout', arguments: { cart_id: cart, idempotency_key: 'checkout-1' } }, 'success'],
    [{ name: 'cart_checkout', arguments: { cart_id: other, idempotency_key: 'checkout-2' } }, 'refusal'],
    [{ name: 'cart_destroy', arguments: { cart_id: other } }, 'success'],
    [{ name: 'cart_get', arguments: { cart_id: other } }, 'refusal'],
    [{ name: 'cart_get', arguments: { cart_id: 'cart_nope' } }, 'refusal'],
    [{ name: 'cart_get', arguments: { cart_id: 'cart_AAAAAAAAAAAAAAAAAAAAAA' } }, 'refusal'],
  ];

  it('serves every cart tool, successes and refusals, with the bytes the SDK sends', async () => {
    expect(new Set(script.map(([call]) => call.name))).toEqual(new Set(cartTools.map((tool) => tool.name)));
    for (const [call, expected] of script) {
      const outcome = await pair.send(corpus.call(call));
      expect(outcome.lean, call.name).toBe('served');
      expect(outcome.status).toBe(200);
      expect(outcome.body.includes('"isError":true'), `${call.name} ${JSON.stringify(call.arguments)}`).toBe(
        expected === 'refusal',
      );
    }
  });

  it('leaves every other kind of request to the SDK, which answers both copies alike', async () => {
    const variants = corpus.variantsOf({
      name: 'cart_add_item',
      arguments: { cart_id: cart, sku: 'TEA-0009', quantity: 1 },
    });
    for (const variant of variants) {
      const outcome = await pair.send(variant.exchange);
      const did = outcome.lean === 'served' || outcome.lean === 'not-asked' ? outcome.lean : 'sdk';
      expect(did, variant.label).toBe(variant.lean);
    }
  });

  it('answers generated requests as the SDK does', async () => {
    const valid = script.map(([call]) => call).filter((call) => call.name !== 'cart_destroy');
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(corpus.arbitrary(valid), async (exchange) => {
        const { lean } = await pair.send(exchange);
        outcomes.set(lean, (outcomes.get(lean) ?? 0) + 1);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Both halves were exercised: requests the lean path served and requests it left to the SDK.
    expect(outcomes.get('served') ?? 0).toBeGreaterThan(RUNS / 10);
    expect(RUNS - (outcomes.get('served') ?? 0)).toBeGreaterThan(RUNS / 10);
  });
});
