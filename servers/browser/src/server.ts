/**
 * The browser MCP server: `createBrowserServer` returns the factory that `createMcpHandler` (HTTP)
 * and `serveStdio` call for every request, a fresh McpServer with the browser tools registered,
 * closing over the long-lived dependencies (handles, records, this instance's live contexts).
 * No side effects on import; no browser until a call needs one.
 */
import { McpServer, type McpServerFactory } from '@modelcontextprotocol/server';
import { publicListCacheHints, toolCallback, toolConfig, toolsFor, type ToolRuntime } from '@sessionless/kit';
import type { BrowserDeps } from './deps.js';
import { browserTools } from './tools/index.js';

export const SERVER_INFO = { name: 'sessionless-browser', version: '0.1.0' };

const INSTRUCTIONS =
  'Isolated browsers without sessions. Each agent calls browser_create for its own browser_id and passes it ' +
  'to every other browser tool. Call browser_snapshot to see the page; act on elements by their [ref=eN]. ' +
  'If a browser_id has expired or is unknown, call browser_create again; browser_list shows the ones you hold.';

export function createBrowserServer(deps: BrowserDeps, runtime: ToolRuntime, listTtlMs: number): McpServerFactory {
  // Built once: each request's fresh McpServer registers the same definitions and callbacks.
  const registrations = browserTools.map((tool) => ({
    name: tool.name,
    config: toolConfig(tool, deps),
    callback: toolCallback(tool, deps, runtime),
  }));
  return (request) => {
    const server = new McpServer(SERVER_INFO, {
      instructions: INSTRUCTIONS,
      cacheHints: publicListCacheHints(listTtlMs),
      capabilities: { tools: { listChanged: false } },
    });
    for (const { name, config, callback } of toolsFor(registrations, request)) {
      server.registerTool(name, config, callback);
    }
    return server;
  };
}
