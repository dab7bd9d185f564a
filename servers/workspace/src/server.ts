/**
 * The workspace MCP server: `createWorkspaceServer` returns the factory that `createMcpHandler`
 * (HTTP) and `serveStdio` call for every request, a fresh McpServer with the workspace tools
 * registered, closing over the long-lived dependencies. No side effects on import.
 */
import { McpServer, type McpServerFactory } from '@modelcontextprotocol/server';
import { publicListCacheHints, toolCallback, toolConfig, toolsFor, type ToolRuntime } from '@sessionless/kit';
import type { WorkspaceDeps } from './deps.js';
import { workspaceTools } from './tools/index.js';

export const SERVER_INFO = { name: 'sessionless-workspace', version: '0.1.0' };

const INSTRUCTIONS =
  'Workspaces of files without sessions. Call workspace_create once and pass the returned workspace_id to the ' +
  'other workspace tools. Share one workspace_id between agents to work on the same files, or give each agent ' +
  'its own workspace_fork and bring the forks back with workspace_merge. If a workspace_id has expired or is ' +
  'unknown, call workspace_create again; workspace_list shows the workspaces you hold.';

export function createWorkspaceServer(deps: WorkspaceDeps, runtime: ToolRuntime, listTtlMs: number): McpServerFactory {
  // Built once: each request's fresh McpServer registers the same definitions and callbacks.
  const registrations = workspaceTools.map((tool) => ({
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
