#!/usr/bin/env node
/**
 * Runs the browser server: over HTTP by default (POST /mcp on 127.0.0.1:3103), or over stdio with
 * `--stdio`. Finds Chromium at start-up (and stops with the options if there is none) but
 * launches it only when the first call needs a page.
 */
import { authSettingsFrom, createAuthenticator, loadConfig, openRuntime, runMain, serve } from '@sessionless/kit';
import {
  browserConfigSchema,
  browserMigrations,
  browserTools,
  createBrowserDeps,
  createBrowserServer,
  findChromium,
  SERVER_INFO,
} from './server.js';

await runMain('browser', async () => {
  const config = loadConfig(browserConfigSchema);
  const authenticator = createAuthenticator(authSettingsFrom(config));
  const chromium = await findChromium(config.CHROMIUM_PATH);
  const runtime = openRuntime({
    name: 'browser',
    config,
    migrations: browserMigrations,
  });
  const deps = createBrowserDeps(runtime, config, chromium);
  await serve({
    info: SERVER_INFO,
    config,
    authenticator,
    runtime,
    factory: createBrowserServer(deps, runtime, config.LIST_TTL),
    toolNames: browserTools.map((tool) => tool.name),
    details: { chromium: chromium.source, allow: config.BROWSER_ALLOWED_ORIGINS },
    close: () => deps.close(),
  });
});
