/**
 * The browser MCP server: `createBrowserServer` returns the factory that `createMcpHandler` (HTTP)
 * and `serveStdio` call for every request, a fresh McpServer with the browser tools registered
 * (bound once by `main.ts` to the long-lived dependencies: handles, records, this instance's live
 * contexts). No side effects on import; no browser until a call needs one.
 */
import { McpServer, type McpServerFactory } from '@modelcontextprotocol/server';
import { publicListCacheHints, toolsFor, type BoundTool } from '@sessionless/kit';

export const SERVER_INFO = { name: 'sessionless-browser', version: '0.1.0' };

const INSTRUCTIONS =
  'Isolated browsers without sessions. Each agent calls browser_create for its own browser_id and passes it ' +
  'to every other browser tool. Call browser_snapshot to see the page; act on elements by their [ref=eN]. ' +
  'If a browser_id has expired or is unknown, call browser_create again; browser_list shows the ones you hold.';

export function createBrowserServer(tools: readonly BoundTool[], listTtlMs: number): McpServerFactory {
  return (request) => {
    const server = new McpServer(SERVER_INFO, {
      instructions: INSTRUCTIONS,
      cacheHints: publicListCacheHints(listTtlMs),
      capabilities: { tools: { listChanged: false } },
    });
    for (const { name, config, callback } of toolsFor(tools, request)) {
      server.registerTool(name, config, callback);
    }
    return server;
  };
}
