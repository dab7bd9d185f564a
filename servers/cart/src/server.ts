/**
 * The cart MCP server: `createCartServer` returns the factory that `createMcpHandler` (HTTP) and
 * `serveStdio` call for every request, a fresh McpServer with the cart tools registered (bound
 * once to the long-lived dependencies by `main.ts`). No side effects on import.
 */
import { McpServer, type McpServerFactory } from '@modelcontextprotocol/server';
import { publicListCacheHints, toolsFor, type BoundTool } from '@sessionless/kit';

export const SERVER_INFO = { name: 'sessionless-cart', version: '0.1.0' };

const INSTRUCTIONS =
  'A shopping cart without sessions. Call cart_create once and pass the returned cart_id to every other ' +
  'cart tool; hand the same cart_id to other agents to share the cart. If a cart_id has expired or is ' +
  'unknown, call cart_create again; cart_list shows the carts you hold.';

export function createCartServer(tools: readonly BoundTool[], listTtlMs: number): McpServerFactory {
  return (request) => {
    const server = new McpServer(SERVER_INFO, {
      instructions: INSTRUCTIONS,
      // The tool list never changes while a deployment runs, so clients and gateways may share it.
      cacheHints: publicListCacheHints(listTtlMs),
      capabilities: { tools: { listChanged: false } },
    });
    for (const { name, config, callback } of toolsFor(tools, request)) {
      server.registerTool(name, config, callback);
    }
    return server;
  };
}
