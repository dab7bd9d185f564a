#!/usr/bin/env node
/**
 * Runs the cart server: over HTTP by default (POST /mcp on 127.0.0.1:3101), or over stdio with
 * `--stdio`. The only file that reads the environment or opens a port.
 */
import { authSettingsFrom, createAuthenticator, loadConfig, openRuntime, runMain, serve } from '@sessionless/kit';
import {
  cartConfigSchema,
  cartMigrations,
  cartTools,
  createCartDeps,
  createCartServer,
  SERVER_INFO,
} from './server.js';

await runMain('cart', async () => {
  const config = loadConfig(cartConfigSchema);
  const authenticator = createAuthenticator(authSettingsFrom(config));
  const runtime = openRuntime({
    name: 'cart',
    config,
    migrations: cartMigrations,
  });
  const deps = createCartDeps(runtime, config);
  await serve({
    info: SERVER_INFO,
    config,
    authenticator,
    runtime,
    factory: createCartServer(deps, runtime, config.LIST_TTL),
    toolNames: cartTools.map((tool) => tool.name),
  });
});
