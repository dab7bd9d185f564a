/**
 * One shopping-team subagent: a scripted client that receives the shared cart and workspace ids
 * from the orchestrator and creates its own browser and its own workspace fork. It browses the
 * storefront through the browser server only, reading SKUs and stock from page snapshots, adds
 * what it finds to the shared cart and writes its notes into its fork.
 */
import { Actor } from '../refetch/actor.js';
import { ScenarioFailure } from '../shared/errors.js';
import type { ScriptContext } from './base.js';
import type { ShoppingTeam } from './shopping-team-schema.js';
import { productFacts, productLinks, refOf, visitorCookie, type ProductFacts } from './storefront.js';

export interface ShopperReport {
  name: string;
  browserId: string;
  forkId: string;
  /** The visitor cookie the /prefs page showed first, and at the end. */
  cookie: string;
  endCookie: string | undefined;
  /** Every /prefs snapshot this browser returned, to check no other visitor shows up in it. */
  pages: string[];
  items: Array<ProductFacts & { quantity: number }>;
  notesPath: string;
  /** The notes files in the fork after writing: only this subagent's own. */
  forkNotes: string[];
}

interface Page {
  url: string;
  snapshot: string;
}

export async function shop(
  context: ScriptContext<ShoppingTeam>,
  index: number,
  shared: { cartId: string; workspaceId: string; siteOrigin: string },
): Promise<ShopperReport> {
  const { scenario } = context;
  const shopper = scenario.shoppers[index % scenario.shoppers.length]!;
  const name = `${shopper.role}-${index + 1}`;
  const agent = await Actor.connect(context.policy, context.endpoints, 'subagent', name);
  try {
    const { browser_id: browserId } = await agent.call<{ browser_id: string }>('browser', 'browser_create', {
      start_url: `${shared.siteOrigin}/prefs`,
    });
    context.defer((team) => team.call('browser', 'browser_destroy', { browser_id: browserId }));
    const prefs = await agent.call<Page>('browser', 'browser_snapshot', { browser_id: browserId });
    const cookie = visitorCookie(prefs.snapshot);
    if (!cookie) throw new ScenarioFailure(`${name}: the /prefs page shows no visitor cookie:\n${prefs.snapshot}`);

    await agent.call('browser', 'browser_fill', {
      browser_id: browserId,
      ref: refOf(prefs.snapshot, 'searchbox', 'Search products'),
      text: shopper.search,
    });
    let results = await agent.call<Page>('browser', 'browser_press', { browser_id: browserId, key: 'Enter' });

    // Subagents playing the same role start further down the results, so they mostly pick different products.
    let position = Math.floor(index / scenario.shoppers.length) * scenario.itemsPerSubagent;
    const items: ShopperReport['items'] = [];
    while (items.length < scenario.itemsPerSubagent) {
      const links = productLinks(results.snapshot);
      const link = links[position++];
      if (!link) {
        throw new ScenarioFailure(
          `${name} found ${items.length} of ${scenario.itemsPerSubagent} products with ${scenario.minStock}+ in ` +
            `stock among ${links.length} results for "${shopper.search}"`,
        );
      }
      const page = await agent.call<Page>('browser', 'browser_click', { browser_id: browserId, ref: link.ref });
      const product = productFacts(page.snapshot);
      if (product.sku !== link.sku) {
        throw new ScenarioFailure(`${name} opened the link to ${link.sku} but the page shows ${product.sku}`);
      }
      if (product.stock >= scenario.minStock) {
        await agent.call('cart', 'cart_add_item', {
          cart_id: shared.cartId,
          sku: product.sku,
          quantity: scenario.quantity,
        });
        items.push({ ...product, quantity: scenario.quantity });
      }
      if (items.length < scenario.itemsPerSubagent) {
        results = await agent.call<Page>('browser', 'browser_back', { browser_id: browserId });
      }
    }

    const { workspace_id: forkId } = await agent.call<{ workspace_id: string }>('workspace', 'workspace_fork', {
      workspace_id: shared.workspaceId,
      name,
    });
    context.defer((team) => team.call('workspace', 'workspace_destroy', { workspace_id: forkId }));
    const notesPath = `${scenario.notesDir}/${name}.md`;
    await agent.call('workspace', 'workspace_write_file', {
      workspace_id: forkId,
      path: notesPath,
      content: notes(name, shopper.search, cookie, items),
    });
    const own = await agent.call<{ files: Array<{ path: string }> }>('workspace', 'workspace_list_files', {
      workspace_id: forkId,
      prefix: `${scenario.notesDir}/`,
    });

    const end = await agent.call<Page>('browser', 'browser_navigate', {
      browser_id: browserId,
      url: `${shared.siteOrigin}/prefs`,
    });
    return {
      name,
      browserId,
      forkId,
      cookie,
      endCookie: visitorCookie(end.snapshot),
      pages: [prefs.snapshot, end.snapshot],
      items,
      notesPath,
      forkNotes: own.files.map((f) => f.path),
    };
  } finally {
    await agent.close();
  }
}

function notes(name: string, search: string, cookie: string, items: ShopperReport['items']): string {
  return [
    `# ${name}`,
    '',
    `Searched the storefront for "${search}" (visitor ${cookie}) and added to the shared cart:`,
    '',
    '| SKU | Product | Price | In stock | Added |',
    '| --- | --- | --- | --- | --- |',
    ...items.map((i) => `| ${i.sku} | ${i.name} | ${i.price} | ${i.stock} | ${i.quantity} |`),
    '',
  ].join('\n');
}
