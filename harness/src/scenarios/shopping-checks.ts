/**
 * The shopping team's verdicts, made from what the orchestrator read back (the cart, the merged
 * workspace) and what each subagent saw (its pages, its fork). Each returns a check with a
 * detail that says what was found, so a failure explains itself.
 */
import { errorCodeOf, mintId } from '@sessionless/kit';
import type { ServerName } from '../fleet/servers.js';
import { textOf, type Actor } from '../refetch/actor.js';
import type { Check } from './base.js';
import type { ShopperReport } from './shopper.js';

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export const CHECKOUT_CHECK = 'checkout placed one order for the whole cart';

export interface CartView {
  cart_id: string;
  lines: Array<{ sku: string; quantity: number }>;
  item_count: number;
  subtotal_cents: number;
  version: number;
}

export function checkCart(cart: CartView, team: ShopperReport[]): Check {
  const expected = new Map<string, number>();
  for (const item of team.flatMap((m) => m.items)) {
    expected.set(item.sku, (expected.get(item.sku) ?? 0) + item.quantity);
  }
  const actual = new Map(cart.lines.map((l) => [l.sku, l.quantity]));
  const problems = [...new Set([...expected.keys(), ...actual.keys()])]
    .filter((sku) => expected.get(sku) !== actual.get(sku))
    .map((sku) => `${sku}: added ${expected.get(sku) ?? 0}, cart has ${actual.get(sku) ?? 0}`);
  const units = [...expected.values()].reduce((a, b) => a + b, 0);
  if (cart.item_count !== units)
    problems.push(`the cart counts ${cart.item_count} units, the subagents added ${units}`);
  return {
    name: "the shared cart holds every subagent's items",
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `${count(units, 'unit')} of ${count(expected.size, 'SKU')} from ${count(team.length, 'subagent')}, ` +
          `all in cart ${cart.cart_id}`
        : problems.join('; '),
  };
}

export function checkBrowsers(team: ShopperReport[]): Check {
  const problems: string[] = [];
  const cookies = team.map((m) => m.cookie);
  if (new Set(cookies).size !== cookies.length) problems.push(`visitor cookies repeat: ${cookies.join(', ')}`);
  for (const member of team) {
    if (member.endCookie !== member.cookie) {
      problems.push(`${member.name} started as ${member.cookie} but ended as ${member.endCookie ?? 'none'}`);
    }
    const foreign = team.filter((other) => other !== member && member.pages.some((p) => p.includes(other.cookie)));
    if (foreign.length > 0) problems.push(`${member.name} saw ${foreign.map((o) => o.cookie).join(', ')}`);
  }
  return {
    name: "no browser saw another's cookies",
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `${count(team.length, 'browser')}, ${count(team.length, 'distinct visitor cookie')}, each kept its own`
        : problems.join('; '),
  };
}

export function checkNotes(
  initial: Array<{ path: string }>,
  files: Array<{ path: string }>,
  team: ShopperReport[],
): Check {
  const paths = new Set(files.map((f) => f.path));
  const problems = [
    ...initial.filter((f) => !paths.has(f.path)).map((f) => `${f.path} is gone`),
    ...team.filter((m) => !paths.has(m.notesPath)).map((m) => `${m.notesPath} was not merged`),
    ...team
      .filter((m) => m.forkNotes.length !== 1 || m.forkNotes[0] !== m.notesPath)
      .map((m) => `${m.name}'s fork held ${m.forkNotes.join(', ') || 'nothing'}`),
  ];
  return {
    name: 'every fork was merged into the shared workspace',
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `${count(team.length, 'fork')}, each holding only its own notes, merged: ${count(paths.size, 'file')}`
        : problems.join('; '),
  };
}

export function checkOrder(
  order: { order_id: string; total_cents: number; lines: CartView['lines'] },
  cart: CartView,
): Check {
  const same =
    order.total_cents === cart.subtotal_cents &&
    order.lines.length === cart.lines.length &&
    order.lines.every((l) => cart.lines.some((c) => c.sku === l.sku && c.quantity === l.quantity));
  return {
    name: CHECKOUT_CHECK,
    ok: same,
    detail: same
      ? `order ${order.order_id}, ${cart.item_count} units, total ${(order.total_cents / 100).toFixed(2)}`
      : `order ${order.order_id} (${order.total_cents}) does not match the cart (${cart.subtotal_cents})`,
  };
}

/**
 * Outside the counted window: a second user presents the team's handles. Each attempt must be
 * answered exactly like a handle that never existed (same code, same sentence), and the cart
 * must be unchanged afterwards.
 */
export async function probeAsStranger(
  stranger: Actor,
  owner: Actor,
  handles: { cartId: string; workspaceId: string; team: ShopperReport[] },
): Promise<Check[]> {
  const first = handles.team[0]!;
  const attempts: Array<[ServerName, string, string, Record<string, unknown>]> = [
    ['cart', 'cart_get', 'cart_id', { cart_id: handles.cartId }],
    ['cart', 'cart_add_item', 'cart_id', { cart_id: handles.cartId, sku: first.items[0]!.sku, quantity: 1 }],
    ['workspace', 'workspace_list_files', 'workspace_id', { workspace_id: handles.workspaceId }],
    ['workspace', 'workspace_fork', 'workspace_id', { workspace_id: first.forkId }],
    ['browser', 'browser_snapshot', 'browser_id', { browser_id: first.browserId }],
  ];
  const before = await owner.call<CartView>('cart', 'cart_get', { cart_id: handles.cartId });
  const problems: string[] = [];
  for (const [server, tool, key, args] of attempts) {
    const id = String(args[key]);
    const refused = await stranger.attempt(server, tool, args);
    const unknown = mintId(id.slice(0, id.indexOf('_')));
    const control = await stranger.attempt(server, tool, { ...args, [key]: unknown });
    const seen = { code: errorCodeOf(refused), text: textOf(refused).replaceAll(id, '<id>') };
    const expected = { code: errorCodeOf(control), text: textOf(control).replaceAll(unknown, '<id>') };
    if (!refused.isError || seen.code !== 'HANDLE_NOT_FOUND') {
      problems.push(`${tool} on ${id} answered ${refused.isError ? seen.code : 'success'}`);
    } else if (seen.code !== expected.code || seen.text !== expected.text) {
      problems.push(`${tool} on ${id} was refused differently from an unknown id: "${seen.text}"`);
    }
  }
  const after = await owner.call<CartView>('cart', 'cart_get', { cart_id: handles.cartId });
  if (after.version !== before.version)
    problems.push(`the cart changed (version ${before.version} -> ${after.version})`);
  return [
    {
      name: "a second user cannot use the team's handles",
      ok: problems.length === 0,
      detail:
        problems.length === 0
          ? `${attempts.map((a) => a[1]).join(', ')}: each refused as HANDLE_NOT_FOUND, word for word like an ` +
            'unknown id; the cart is unchanged'
          : problems.join('; '),
    },
  ];
}
