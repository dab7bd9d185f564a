/**
 * The cart MCP server: `createCartServer` returns the factory that `createMcpHandler` (HTTP) and
 * `serveStdio` call for every request, a fresh McpServer with the cart tools registered, closing
 * over the long-lived dependencies. No side effects on import.
 */
import { McpServer, type McpServerFactory } from '@modelcontextprotocol/server';
import { publicListCacheHints, toolCallback, toolConfig, toolsFor, type ToolRuntime } from '@sessionless/kit';
import type { CartDeps } from './deps.js';
import { cartTools } from './tools/index.js';

export const SERVER_INFO = { name: 'sessionless-cart', version: '0.1.0' };

const INSTRUCTIONS =
  'A shopping cart without sessions. Call cart_create once and pass the returned cart_id to every other ' +
  'cart tool; hand the same cart_id to other agents to share the cart. If a cart_id has expired or is ' +
  'unknown, call cart_create again; cart_list shows the carts you hold.';

export function createCartServer(deps: CartDeps, runtime: ToolRuntime, listTtlMs: number): McpServerFactory {
  // Built once: each request's fresh McpServer registers the same definitions and callbacks.
  const registrations = cartTools.map((tool) => ({
    name: tool.name,
    config: toolConfig(tool, deps),
    callback: toolCallback(tool, deps, runtime),
  }));
  return (request) => {
    const server = new McpServer(SERVER_INFO, {
      instructions: INSTRUCTIONS,
      // The tool list never changes while a deployment runs, so clients and gateways may share it.
      cacheHints: publicListCacheHints(listTtlMs),
      capabilities: { tools: { listChanged: false } },
    });
    for (const { name, config, callback } of toolsFor(registrations, request)) {
      server.registerTool(name, config, callback);
    }
    return server;
  };
}
