#!/usr/bin/env node
/**
 * Runs the browser server: over HTTP by default (POST /mcp on 127.0.0.1:3103), or over stdio with
 * `--stdio`. The only file that reads the environment or opens a port, and where the two SDK calls
 * that serve MCP without sessions are made: `createMcpHandler` and `serveStdio`. Finds Chromium
 * at start-up (and stops with the options if there is none) but launches it only on first use.
 */
import { createMcpHandler } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { bindTools, listen, loadConfig, openRuntime, runMain, stopWhenStdinEnds } from '@sessionless/kit';
import { browserConfigSchema } from './config.js';
import { createBrowserDeps } from './deps.js';
import { findChromium } from './domain/launcher.js';
import { browserMigrations } from './domain/schema.js';
import { createBrowserServer, SERVER_INFO } from './server.js';
import { browserTools } from './tools/index.js';

await runMain('browser', async () => {
  const config = loadConfig(browserConfigSchema);
  const chromium = await findChromium(config.CHROMIUM_PATH);
  const runtime = await openRuntime({ name: 'browser', config, migrations: browserMigrations });
  const deps = createBrowserDeps(runtime, config, chromium);
  // The tools bound once to these long-lived deps: registered on every request's McpServer, and
  // run as they are by the kit's lean path for the hot methods.
  const tools = bindTools(browserTools, deps, runtime);
  // Called for every request (or stdio message): a fresh McpServer with those tools.
  const factory = createBrowserServer(tools, config.LIST_TTL);

  if (process.argv.includes('--stdio')) {
    return stopWhenStdinEnds(serveStdio(factory), runtime, () => deps.close());
  }
  // Every POST stands alone: 2026-07-28 needs no session, and 2025-11-25 clients get none either.
  const handler = createMcpHandler(factory, { legacy: 'stateless' });
  await listen(handler, {
    info: SERVER_INFO,
    config,
    runtime,
    tools,
    details: { chromium: chromium.source, allow: config.BROWSER_ALLOWED_ORIGINS },
    close: () => deps.close(),
  });
});
