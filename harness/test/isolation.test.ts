/**
 * Shared and isolated handles, seen from outside the harness: after a shopping-team run the
 * test connects its own clients. The cart the subagents shared holds all of their items; each
 * browser still shows only its own visitor cookie; a second user is refused every handle exactly
 * as if it did not exist. Nothing started is left running afterwards, Chromium included.
 */
import { randomBytes } from 'node:crypto';
import { defaultAudience, errorCodeOf, signDevToken } from '@sessionless/kit';
import { connectModern, type ModernClient } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPolicy, startFleet, type Fleet, type RunReport } from '../src/index.js';
import { loadScenario } from '../src/scenarios/scenario-file.js';
import { alive, descendants } from './helpers.js';

interface Outcome {
  cart_id: string;
  workspace_id: string;
  cart_lines: Array<{ sku: string; quantity: number }>;
  subagents: Array<{
    name: string;
    browser_id: string;
    fork_id: string;
    visitor_cookie: string;
    items: Array<{ sku: string; quantity: number }>;
  }>;
}

const secret = randomBytes(32).toString('base64url');
// One token per user for all three servers, as the harness signs them: it names each server's audience.
const sign = (subject: string) =>
  signDevToken(secret, subject, { audience: ['cart', 'workspace', 'browser'].map(defaultAudience) });
let fleet: Fleet;
let run: RunReport;
let outcome: Outcome;
const clients: ModernClient[] = [];

beforeAll(async () => {
  const { scenario } = loadScenario('shopping-team');
  fleet = await startFleet({ servers: scenario.servers, auth: { mode: 'jwt', secret } });
  run = await runPolicy({
    scenario,
    policy: 'sessionless',
    subagents: 3,
    endpoints: fleet.endpoints,
    siteOrigin: fleet.siteOrigin,
    principals: {
      team: { subject: 'team', token: await sign('team') },
      stranger: { subject: 'second-user', token: await sign('second-user') },
    },
    cleanup: false,
  });
  outcome = run.outcome as unknown as Outcome;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  const pids = fleet.endpoints.map((e) => e.pid!);
  const chromium = pids.flatMap(descendants);
  await fleet.stop();
  expect([...pids, ...chromium].filter(alive)).toEqual([]);
});

async function connect(server: string, subject: string): Promise<ModernClient> {
  const endpoint = fleet.endpoints.find((e) => e.name === server)!;
  const client = await connectModern(endpoint.url, { token: await sign(subject) });
  clients.push(client);
  // The list tells the client which arguments to mirror in Mcp-Param-* headers, as the server requires.
  await client.listTools();
  return client;
}

describe('shopping-team handles', () => {
  it('the run passed its own checks, the second-user probe included', () => {
    expect(run.error).toBeNull();
    expect(run.checks.filter((c) => !c.ok)).toEqual([]);
    expect(run.checks.map((c) => c.name)).toContain("a second user cannot use the team's handles");
  });

  it("cart_get: the shared cart holds every subagent's items, summed per SKU", async () => {
    const expected = new Map<string, number>();
    for (const item of outcome.subagents.flatMap((s) => s.items)) {
      expected.set(item.sku, (expected.get(item.sku) ?? 0) + item.quantity);
    }
    expect(outcome.subagents).toHaveLength(3);
    expect(outcome.subagents.every((s) => s.items.length === 2)).toBe(true);

    const cart = await connect('cart', 'team');
    const result = await cart.callTool({ name: 'cart_get', arguments: { cart_id: outcome.cart_id } });
    const view = result.structuredContent as { lines: Array<{ sku: string; quantity: number }>; item_count: number };
    expect(new Map(view.lines.map((l) => [l.sku, l.quantity]))).toEqual(expected);
    expect(view.item_count).toBe(6);
  });

  it("browser_snapshot: each subagent's browser shows its own visitor cookie and no other", async () => {
    const browser = await connect('browser', 'team');
    const cookies = outcome.subagents.map((s) => s.visitor_cookie);
    expect(new Set(cookies).size).toBe(3);
    for (const agent of outcome.subagents) {
      const result = await browser.callTool({ name: 'browser_snapshot', arguments: { browser_id: agent.browser_id } });
      const { snapshot } = result.structuredContent as { snapshot: string };
      expect(snapshot).toContain(`Visitor cookie: ${agent.visitor_cookie}`);
      for (const other of cookies.filter((c) => c !== agent.visitor_cookie)) expect(snapshot).not.toContain(other);
    }
  });

  it("a second user cannot use the first user's cart, workspace or browsers", async () => {
    const [cart, workspace, browser] = await Promise.all(
      ['cart', 'workspace', 'browser'].map((server) => connect(server, 'second-user')),
    );
    const refusals = [
      await cart!.callTool({ name: 'cart_get', arguments: { cart_id: outcome.cart_id } }),
      await cart!.callTool({
        name: 'cart_add_item',
        arguments: { cart_id: outcome.cart_id, sku: 'TEA-0001', quantity: 1 },
      }),
      await workspace!.callTool({ name: 'workspace_list_files', arguments: { workspace_id: outcome.workspace_id } }),
      await workspace!.callTool({ name: 'workspace_fork', arguments: { workspace_id: outcome.subagents[0]!.fork_id } }),
      ...(await Promise.all(
        outcome.subagents.map((s) =>
          browser!.callTool({ name: 'browser_snapshot', arguments: { browser_id: s.browser_id } }),
        ),
      )),
    ];
    expect(refusals.map((r) => errorCodeOf(r))).toEqual(Array(refusals.length).fill('HANDLE_NOT_FOUND'));

    const theirs = await cart!.callTool({ name: 'cart_list', arguments: {} });
    expect((theirs.structuredContent as { carts: unknown[] }).carts).toEqual([]);
    const team = await connect('cart', 'team');
    const after = await team.callTool({ name: 'cart_get', arguments: { cart_id: outcome.cart_id } });
    expect((after.structuredContent as { item_count: number }).item_count).toBe(6);
  });
});
