/**
 * The flagship scenario's script (DESIGN.md section 8): the orchestrator creates one cart and one
 * workspace (shared handles) and hands their ids to N subagents, each with its own browser and
 * workspace fork (shopper.ts); then it merges the forks, checks the cart, the browsers' cookies
 * and the notes, and checks out. Any deviation fails the run with the reason.
 */
import { Actor } from '../refetch/actor.js';
import { mapSettled, range } from '../shared/concurrency.js';
import { ScenarioFailure } from '../shared/errors.js';
import type { ScenarioScript, ScriptContext, ScriptResult } from './base.js';
import { shop, type ShopperReport } from './shopper.js';
import {
  checkBrowsers,
  checkCart,
  checkNotes,
  checkOrder,
  CHECKOUT_CHECK,
  probeAsStranger,
  type CartView,
} from './shopping-checks.js';
import type { ShoppingTeam } from './shopping-team-schema.js';

export const shoppingTeam: ScenarioScript<ShoppingTeam> = {
  async run(context) {
    const siteOrigin = context.siteOrigin;
    if (!siteOrigin) throw new ScenarioFailure('the shopping team needs the demo storefront; none is running');
    const orchestrator = await Actor.connect(context.policy, context.endpoints, 'orchestrator', 'orchestrator');
    try {
      return await orchestrate(context, orchestrator, siteOrigin);
    } finally {
      await orchestrator.close();
    }
  },
};

async function orchestrate(
  context: ScriptContext<ShoppingTeam>,
  orchestrator: Actor,
  siteOrigin: string,
): Promise<ScriptResult> {
  const { scenario } = context;
  const { cart_id: cartId } = await orchestrator.call<{ cart_id: string }>('cart', 'cart_create', {
    currency: scenario.currency,
  });
  context.defer((team) => team.call('cart', 'cart_destroy', { cart_id: cartId }));
  const { workspace_id: workspaceId } = await orchestrator.call<{ workspace_id: string }>(
    'workspace',
    'workspace_create',
    { name: scenario.workspace.name, files: scenario.workspace.files },
  );
  context.defer((team) => team.call('workspace', 'workspace_destroy', { workspace_id: workspaceId }));

  let done = 0;
  const settled = await mapSettled(range(context.subagents), context.concurrency, async (index) => {
    const report = await shop(context, index, { cartId, workspaceId, siteOrigin });
    context.progress(++done);
    return report;
  });
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed.length > 0) {
    throw new ScenarioFailure(
      `${failed.length} of ${context.subagents} subagents failed; first: ${(failed[0]!.reason as Error).message}`,
    );
  }
  const team = settled.map((s) => (s as PromiseFulfilledResult<ShopperReport>).value);

  for (const member of team) {
    await orchestrator.call('workspace', 'workspace_merge', { from_id: member.forkId, into_id: workspaceId });
  }
  const listing = await orchestrator.call<{ files: Array<{ path: string }> }>('workspace', 'workspace_list_files', {
    workspace_id: workspaceId,
  });
  const cart = await orchestrator.call<CartView>('cart', 'cart_get', { cart_id: cartId });
  const checks = [
    checkCart(cart, team),
    checkBrowsers(team),
    checkNotes(scenario.workspace.files, listing.files, team),
  ];
  let orderId: string | undefined;
  if (checks.every((c) => c.ok)) {
    const order = await orchestrator.call<{ order_id: string; total_cents: number; lines: CartView['lines'] }>(
      'cart',
      'cart_checkout',
      { cart_id: cartId, idempotency_key: `shopping-team-${context.runId}` },
    );
    orderId = order.order_id;
    checks.push(checkOrder(order, cart));
  } else {
    checks.push({ name: CHECKOUT_CHECK, ok: false, detail: 'not attempted: the checks above failed' });
  }

  return {
    checks,
    outcome: {
      cart_id: cartId,
      workspace_id: workspaceId,
      order_id: orderId ?? null,
      cart_lines: cart.lines.map(({ sku, quantity }) => ({ sku, quantity })),
      subagents: team.map((m) => ({
        name: m.name,
        browser_id: m.browserId,
        fork_id: m.forkId,
        visitor_cookie: m.cookie,
        items: m.items.map(({ sku, quantity }) => ({ sku, quantity })),
        notes: m.notesPath,
      })),
    },
    probe: (stranger, owner) => probeAsStranger(stranger, owner, { cartId, workspaceId, team }),
  };
}
