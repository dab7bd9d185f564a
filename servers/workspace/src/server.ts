/**
 * The workspace MCP server: `createWorkspaceServer` returns the factory that `createMcpHandler`
 * (HTTP) and `serveStdio` call for every request, a fresh McpServer with the workspace tools
 * registered (bound once to the long-lived dependencies by `main.ts`). No side effects on import.
 */
import { McpServer, type McpServerFactory } from '@modelcontextprotocol/server';
import { publicListCacheHints, toolsFor, type BoundTool } from '@sessionless/kit';

export const SERVER_INFO = { name: 'sessionless-workspace', version: '0.1.0' };

const INSTRUCTIONS =
  'Workspaces of files without sessions. Call workspace_create once and pass the returned workspace_id to the ' +
  'other workspace tools. Share one workspace_id between agents to work on the same files, or give each agent ' +
  'its own workspace_fork and bring the forks back with workspace_merge. If a workspace_id has expired or is ' +
  'unknown, call workspace_create again; workspace_list shows the workspaces you hold.';

export function createWorkspaceServer(tools: readonly BoundTool[], listTtlMs: number): McpServerFactory {
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
