#!/usr/bin/env node
/**
 * Runs the workspace server: over HTTP by default (POST /mcp on 127.0.0.1:3102), or over stdio
 * with `--stdio`. The only file that reads the environment or opens a port, and where the two SDK
 * calls that serve MCP without sessions are made: `createMcpHandler` and `serveStdio`.
 */
import { createMcpHandler } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { bindTools, listen, loadConfig, openRuntime, runMain, stopWhenStdinEnds } from '@sessionless/kit';
import { workspaceConfigSchema } from './config.js';
import { createWorkspaceDeps } from './deps.js';
import { workspaceMigrations } from './domain/schema.js';
import { createWorkspaceServer, SERVER_INFO } from './server.js';
import { workspaceTools } from './tools/index.js';

await runMain('workspace', async () => {
  const config = loadConfig(workspaceConfigSchema);
  const runtime = await openRuntime({ name: 'workspace', config, migrations: workspaceMigrations });
  const deps = createWorkspaceDeps(runtime, config);
  // The tools bound once to these long-lived deps: registered on every request's McpServer, and
  // run as they are by the kit's lean path for the hot methods.
  const tools = bindTools(workspaceTools, deps, runtime);
  // Called for every request (or stdio message): a fresh McpServer with those tools.
  const factory = createWorkspaceServer(tools, config.LIST_TTL);

  if (process.argv.includes('--stdio')) {
    return stopWhenStdinEnds(serveStdio(factory), runtime);
  }
  // Every POST stands alone: 2026-07-28 needs no session, and 2025-11-25 clients get none either.
  const handler = createMcpHandler(factory, { legacy: 'stateless' });
  await listen(handler, { info: SERVER_INFO, config, runtime, tools });
});
