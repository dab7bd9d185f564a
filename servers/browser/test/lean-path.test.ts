/**
 * The kit's lean path answers the browser server's requests exactly as the SDK's handler does:
 * every browser tool (successes and refusals) on real Chromium, the hand-picked variants around
 * browser_snapshot, and generated requests, each sent to a copy with LEAN_PATH=on and one with
 * LEAN_PATH=off, both browsing the same storefront.
 */
import { Differential, leanCorpus, type ToolCall } from '@sessionless/kit/testing/lean-path';
import { startDemoSite, type DemoSite } from '@sessionless/scenarios/site';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTools } from '../src/index.js';
import { browserInProcess, refOf } from './helpers.js';

/** Browser ids: random in each copy, compared by the order they were minted. */
const IDS = /brw_[A-Za-z0-9_-]{16,}/g;
const corpus = leanCorpus(browserTools);
// A fixed corpus in CI; LEAN_DIFF_SEED and LEAN_DIFF_RUNS explore others.
const SEED = Number(process.env.LEAN_DIFF_SEED ?? 20261207);
const RUNS = Number(process.env.LEAN_DIFF_RUNS ?? 150);

describe('lean path: the browser server answers as the SDK does', () => {
  let site: DemoSite;
  let pair: Differential;
  beforeAll(async () => {
    site = await startDemoSite();
    pair = await Differential.start({ open: (env) => browserInProcess(env, [], 'sqlite', site), ids: IDS });
  }, 60_000);
  afterAll(async () => {
    await pair?.close();
    await site?.close();
  });

  const browser = '<id#0>';
  const spare = '<id#1>';
  const done: string[] = [];
  /** Sends one call to both copies and returns the structured content of the (identical) answer. */
  const call = async (toolCall: ToolCall, expected: 'success' | 'refusal') => {
    const outcome = await pair.send(corpus.call(toolCall));
    expect(outcome.lean, toolCall.name).toBe('served');
    const { result } = JSON.parse(outcome.body) as { result: { isError?: boolean; structuredContent?: unknown } };
    expect(result.isError === true, `${toolCall.name} ${JSON.stringify(toolCall.arguments)}`).toBe(
      expected === 'refusal',
    );
    done.push(toolCall.name);
    return result.structuredContent as { snapshot: string };
  };

  it('serves every browser tool, successes and refusals, with the bytes the SDK sends', async () => {
    await call({ name: 'browser_create', arguments: { start_url: `${site.origin}/` } }, 'success');
    await call({ name: 'browser_create', arguments: { viewport: { width: 800, height: 600 } } }, 'success');
    const home = await call({ name: 'browser_snapshot', arguments: { browser_id: browser } }, 'success');
    const all = refOf(home.snapshot, 'link', 'All products');
    const products = await call({ name: 'browser_click', arguments: { browser_id: browser, ref: all } }, 'success');
    const search = refOf(products.snapshot, 'searchbox', 'Search products');
    await call({ name: 'browser_fill', arguments: { browser_id: browser, ref: search, text: 'green tea' } }, 'success');
    await call({ name: 'browser_press', arguments: { browser_id: browser, key: 'Enter' } }, 'success');
    await call({ name: 'browser_press', arguments: { browser_id: browser, key: 'Hyperdrive' } }, 'refusal');
    await call({ name: 'browser_back', arguments: { browser_id: browser } }, 'success');
    await call({ name: 'browser_click', arguments: { browser_id: browser, ref: 'e9999' } }, 'refusal');
    await call(
      { name: 'browser_navigate', arguments: { browser_id: browser, url: `${site.origin}/products` } },
      'success',
    );
    await call(
      { name: 'browser_navigate', arguments: { browser_id: browser, url: 'https://example.com/' } },
      'refusal',
    );
    await call({ name: 'browser_screenshot', arguments: { browser_id: spare } }, 'success');
    await call({ name: 'browser_list', arguments: {} }, 'success');
    await call({ name: 'browser_destroy', arguments: { browser_id: spare } }, 'success');
    await call({ name: 'browser_snapshot', arguments: { browser_id: spare } }, 'refusal');
    await call({ name: 'browser_snapshot', arguments: { browser_id: 'brw_nope' } }, 'refusal');
    expect(new Set(done)).toEqual(new Set(browserTools.map((tool) => tool.name)));
  });

  it('leaves every other kind of request to the SDK, which answers both copies alike', async () => {
    for (const variant of corpus.variantsOf({ name: 'browser_snapshot', arguments: { browser_id: browser } })) {
      const outcome = await pair.send(variant.exchange);
      const did = outcome.lean === 'served' || outcome.lean === 'not-asked' ? outcome.lean : 'sdk';
      expect(did, variant.label).toBe(variant.lean);
    }
  });

  it('answers generated requests as the SDK does', async () => {
    // The cheap calls: generated requests must not open a browser per run.
    const valid: ToolCall[] = [
      { name: 'browser_list', arguments: {} },
      { name: 'browser_snapshot', arguments: { browser_id: browser } },
      { name: 'browser_back', arguments: { browser_id: 'brw_AAAAAAAAAAAAAAAAAAAAAA' } },
    ];
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
