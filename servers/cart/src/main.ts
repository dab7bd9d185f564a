#!/usr/bin/env node
/**
 * Runs the cart server: over HTTP by default (POST /mcp on 127.0.0.1:3101), or over stdio with
 * `--stdio`. The only file that reads the environment or opens a port, and where the two SDK
 * calls that serve MCP without sessions are made: `createMcpHandler` and `serveStdio`.
 */
import { createMcpHandler } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { bindTools, listen, loadConfig, openRuntime, runMain, stopWhenStdinEnds } from '@sessionless/kit';
import { cartConfigSchema } from './config.js';
import { createCartDeps } from './deps.js';
import { cartMigrations } from './domain/schema.js';
import { createCartServer, SERVER_INFO } from './server.js';
import { cartTools } from './tools/index.js';

await runMain('cart', async () => {
  const config = loadConfig(cartConfigSchema);
  const runtime = await openRuntime({ name: 'cart', config, migrations: cartMigrations });
  const deps = createCartDeps(runtime, config);
  // The tools bound once to these long-lived deps: registered on every request's McpServer, and
  // run as they are by the kit's lean path for the hot methods.
  const tools = bindTools(cartTools, deps, runtime);
  // Called for every request (or stdio message): a fresh McpServer with those tools.
  const factory = createCartServer(tools, config.LIST_TTL);

  if (process.argv.includes('--stdio')) {
    return stopWhenStdinEnds(serveStdio(factory), runtime);
  }
  // Every POST stands alone: 2026-07-28 needs no session, and 2025-11-25 clients get none either.
  const handler = createMcpHandler(factory, { legacy: 'stateless' });
  await listen(handler, { info: SERVER_INFO, config, runtime, tools });
});
