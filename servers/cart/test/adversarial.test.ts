/**
 * The adversarial suite: every cart tool called with arguments generated from its own input
 * schema, valid and hostile (huge, deep, odd Unicode, boundary numbers, wrong types, real and
 * unknown handles). No answer may be a 5xx, an internal error, or a refusal without a sentence.
 * A fixed seed and a bounded number of calls here; ADVERSARIAL_RUNS=1000 (npm run adversarial) runs longer.
 */
import fc from 'fast-check';
import type { InProcessApp } from '@sessionless/kit/testing';
import {
  adversarialRuns,
  adversarialSeed,
  answerProblem,
  argumentsFor,
  toolRequest,
} from '@sessionless/kit/testing/adversarial';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { cartTools, type CartDeps } from '../src/index.js';
import { cartInProcess, ok } from './helpers.js';

const MAX_REPLY_BYTES = 1_048_576;
let fixture: InProcessApp<CartDeps>;
const handles: Record<string, string[]> = { cart_id: ['cart_AAAAAAAAAAAAAAAAAAAAAA'], sku: [] };

beforeAll(async () => {
  fixture = await cartInProcess({ CART_QUOTA: '1000' });
  const client = await fixture.connectModern();
  await client.listTools();
  const created = ok<{ cart_id: string }>(await client.callTool({ name: 'cart_create', arguments: {} }));
  const found = ok<{ products: Array<{ sku: string }> }>(
    await client.callTool({ name: 'cart_search_products', arguments: { query: 'tea', limit: 5 } }),
  );
  handles.cart_id!.push(created.cart_id);
  handles.sku!.push(...found.products.map((product) => product.sku));
  await client.close();
});
afterAll(async () => {
  await fixture?.close();
});

describe.each(cartTools.map((tool) => [tool.name, tool] as const))('%s with generated arguments', (name, tool) => {
  it('never answers with a 5xx, an internal error or a refusal that is not a sentence', async () => {
    await fc.assert(
      fc.asyncProperty(argumentsFor(tool.input, { handles }), async (args) => {
        const { headers, body } = toolRequest(name, tool.input, args);
        const response = await fixture.fetch(fixture.url, { method: 'POST', headers, body });
        const problem = answerProblem(response.status, await response.text(), MAX_REPLY_BYTES);
        if (problem) throw new Error(`${name} ${JSON.stringify(args).slice(0, 300)}: ${problem}`);
      }),
      { seed: adversarialSeed(), numRuns: adversarialRuns(40), endOnFailure: true },
    );
  });
});
