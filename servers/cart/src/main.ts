#!/usr/bin/env node
/**
 * Runs the cart server: over HTTP by default (POST /mcp on 127.0.0.1:3101), or over stdio with
 * `--stdio`. The only file that reads the environment or opens a port.
 */
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import {
  authSettingsFrom,
  ConfigError,
  createAuthenticator,
  loadConfig,
  openRuntime,
  serveHttp,
} from '@sessionless/kit';
import {
  cartConfigSchema,
  cartMigrations,
  cartTools,
  createCartDeps,
  createCartServer,
  removeCartState,
  SERVER_INFO,
} from './server.js';

try {
  const config = loadConfig(cartConfigSchema);
  const authenticator = createAuthenticator(authSettingsFrom(config));
  const runtime = openRuntime({
    name: 'cart',
    config,
    migrations: cartMigrations,
    onHandleEnded: (db, handle) => removeCartState(db, handle.id),
  });
  const deps = createCartDeps(runtime, {
    idleTtlMs: config.CART_IDLE_TTL,
    absoluteTtlMs: config.CART_MAX_LIFETIME,
    quotaPerPrincipal: config.CART_QUOTA,
  });
  const factory = createCartServer(deps, runtime, config.LIST_TTL);

  if (process.argv.includes('--stdio')) {
    const stdio = serveStdio(factory, { onerror: (error) => runtime.logger.error({ err: error }, 'stdio error') });
    process.stdin.once('end', () => void stdio.close().finally(() => runtime.close()));
  } else {
    const http = await serveHttp({
      ...SERVER_INFO,
      factory,
      authenticator,
      metrics: runtime.metrics,
      logger: runtime.logger,
      host: config.HOST,
      port: config.PORT,
      maxBodyBytes: config.MAX_BODY_BYTES,
      allowedHosts: config.ALLOWED_HOSTS,
      allowedOrigins: config.ALLOWED_ORIGINS,
      toolNames: cartTools.map((tool) => tool.name),
    });
    runtime.logger.info({ url: http.url, auth: authenticator.mode, dataDir: config.DATA_DIR }, 'listening');
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void http.close().finally(() => (runtime.close(), process.exit(0))));
    }
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`cart: ${error.message}\n`);
  process.exit(1);
}
