/**
 * Running one server process, the same way for every server: over stdio with `--stdio`,
 * otherwise HTTP via `serveHttp`; the "listening" log line that scripts and tests wait for; a
 * clean stop on SIGINT/SIGTERM or stdin's end; and `runMain`, the one place where a start-up
 * mistake (a ConfigError: a bad setting, no browser) becomes one line on stderr and exit code 1.
 */
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { McpServerFactory } from '@modelcontextprotocol/server';
import type { Authenticator } from './auth.js';
import { ConfigError } from './config.js';
import { serveHttp } from './http.js';
import type { Runtime } from './runtime.js';
import type { ServerConfig } from './server-config.js';

export interface ServeOptions {
  info: { name: string; version: string };
  config: ServerConfig;
  authenticator: Authenticator;
  runtime: Runtime;
  factory: McpServerFactory;
  toolNames: readonly string[];
  /** Extra fields for the "listening" log line. */
  details?: Record<string, unknown>;
  /** Frees what the server holds besides the runtime (live browser contexts). */
  close?: () => Promise<void>;
  argv?: readonly string[];
}

export async function serve(options: ServeOptions): Promise<void> {
  const { runtime, config } = options;
  const shutdown = async () => {
    await options.close?.();
    runtime.close();
  };
  if ((options.argv ?? process.argv).includes('--stdio')) {
    const stdio = serveStdio(options.factory, {
      onerror: (error) => runtime.logger.error({ err: error }, 'stdio error'),
    });
    process.stdin.once('end', () => void stdio.close().finally(shutdown));
    return;
  }
  const http = await serveHttp({
    ...options.info,
    factory: options.factory,
    authenticator: options.authenticator,
    metrics: runtime.metrics,
    logger: runtime.logger,
    host: config.HOST,
    port: config.PORT,
    maxBodyBytes: config.MAX_BODY_BYTES,
    allowedHosts: config.ALLOWED_HOSTS,
    allowedOrigins: config.ALLOWED_ORIGINS,
    toolNames: options.toolNames,
  });
  runtime.logger.info(
    { url: http.url, auth: options.authenticator.mode, dataDir: config.DATA_DIR, ...options.details },
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

/** Runs a server's `main`; a ConfigError stops the process with `<name>: <message>` and exit 1. */
export async function runMain(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(1);
  }
}
