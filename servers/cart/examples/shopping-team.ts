/**
 * The quick-start demo: an orchestrator and three subagents share one cart through one cart
 * server, with no session anywhere. The orchestrator creates the cart and hands its cart_id to
 * the subagents; they search and add at the same time; the orchestrator prints the cart.
 * The subagents reuse the orchestrator's discover result and cached tool list, so they start
 * without a single extra round trip.
 *
 *   npm run demo            (from the repository root: installs, builds, runs this)
 */
import { fileURLToPath } from 'node:url';
import { InMemoryResponseCacheStore, type Client } from '@modelcontextprotocol/client';
import { connectModern, startServerProcess, tempDir } from '@sessionless/kit/testing';

const SUBAGENTS = [
  { name: 'tea-scout', wants: 'green tea' },
  { name: 'coffee-scout', wants: 'espresso' },
  { name: 'kitchen-scout', wants: 'knife' },
];

interface ToolResult {
  isError?: boolean;
  content?: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
}

const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const data = tempDir('cart-demo-');
const server = await startServerProcess({ entry, env: { DATA_DIR: data.path, LOG_LEVEL: 'warn' } });
const say = (who: string, text: string) => console.log(`${who.padEnd(14)} ${text}`);

try {
  say('cart server', `listening at ${server.url} (SQLite in ${data.path})`);
  const cache = new InMemoryResponseCacheStore();
  const orchestrator = await connectModern(server.url, { name: 'orchestrator', responseCacheStore: cache });
  await orchestrator.listTools();
  const discover = orchestrator.getDiscoverResult();
  const created = (await orchestrator.callTool({ name: 'cart_create', arguments: { currency: 'EUR' } })) as ToolResult;
  const cartId = String(created.structuredContent?.cart_id);
  say('orchestrator', `created ${cartId} and hands it to ${SUBAGENTS.length} subagents`);

  await Promise.all(
    SUBAGENTS.map(async ({ name, wants }) => {
      const agent = await connectModern(server.url, { name, responseCacheStore: cache, discover });
      const found = (await agent.callTool({
        name: 'cart_search_products',
        arguments: { query: wants, limit: 2 },
      })) as ToolResult;
      const products = (found.structuredContent?.products ?? []) as Array<{ sku: string; name: string }>;
      for (const [i, product] of products.entries()) {
        const added = await call(agent, 'cart_add_item', { cart_id: cartId, sku: product.sku, quantity: i + 1 });
        say(name, added.isError ? `could not add ${product.sku}: ${text(added)}` : text(added));
      }
      await agent.close();
    }),
  );

  const cart = await call(orchestrator, 'cart_get', { cart_id: cartId });
  console.log(`\n${text(cart)}\n`);
  const metrics = await (await fetch(`${server.origin}/metrics`)).text();
  const count = (method: string) =>
    metrics
      .split('\n')
      .filter((line) => line.startsWith('mcp_requests_total{') && line.includes(`method="${method}"`))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  say(
    'server counted',
    `${count('tools/call')} tools/call, ${count('tools/list')} tools/list, ${count('server/discover')} server/discover, ` +
      `${count('initialize')} initialize: the subagents reused the orchestrator's discover result and cached list`,
  );
  await orchestrator.close();
} finally {
  await server.stop();
  data.remove();
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

function text(result: ToolResult): string {
  return result.content?.map((c) => c.text ?? '').join('\n') ?? '';
}
