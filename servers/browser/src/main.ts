#!/usr/bin/env node
/**
 * Runs the browser server: over HTTP by default (POST /mcp on 127.0.0.1:3103), or over stdio with
 * `--stdio`. Finds Chromium at start-up (and stops with the options if there is none) but
 * launches it only when the first call needs a page.
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
  BrowserNotFoundError,
  browserConfigSchema,
  browserMigrations,
  browserTools,
  createBrowserDeps,
  createBrowserServer,
  findChromium,
  removeBrowserState,
  SERVER_INFO,
} from './server.js';

try {
  const config = loadConfig(browserConfigSchema);
  const authenticator = createAuthenticator(authSettingsFrom(config));
  const chromium = await findChromium(config.CHROMIUM_PATH);
  const runtime = openRuntime({
    name: 'browser',
    config,
    migrations: browserMigrations,
    // Runs only after start-up (destroy, expiry), when `deps` below exists.
    onHandleEnded: (_db, handle) => removeBrowserState(deps, handle.id),
  });
  const deps = createBrowserDeps(runtime, {
    chromium,
    allowedOrigins: config.BROWSER_ALLOWED_ORIGINS,
    idleTtlMs: config.BROWSER_IDLE_TTL,
    absoluteTtlMs: config.BROWSER_MAX_LIFETIME,
    quotaPerPrincipal: config.BROWSER_QUOTA,
    maxLive: config.BROWSER_MAX_LIVE,
    contextIdleMs: config.BROWSER_CONTEXT_IDLE,
    sweepIntervalMs: config.SWEEP_INTERVAL,
  });
  const factory = createBrowserServer(deps, runtime, config.LIST_TTL);
  const shutdown = async () => {
    await deps.close();
    runtime.close();
  };

  if (process.argv.includes('--stdio')) {
    const stdio = serveStdio(factory, { onerror: (error) => runtime.logger.error({ err: error }, 'stdio error') });
    process.stdin.once('end', () => void stdio.close().finally(shutdown));
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
      toolNames: browserTools.map((tool) => tool.name),
    });
    runtime.logger.info(
      { url: http.url, auth: authenticator.mode, chromium: chromium.source, allow: config.BROWSER_ALLOWED_ORIGINS },
      'listening',
    );
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(
        signal,
        () =>
          void http
            .close()
            .then(shutdown)
            .finally(() => process.exit(0)),
      );
    }
  }
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof BrowserNotFoundError)) throw error;
  process.stderr.write(`browser: ${error.message}\n`);
  process.exit(1);
}
