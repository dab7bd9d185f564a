#!/usr/bin/env node
/**
 * Runs the workspace server: over HTTP by default (POST /mcp on 127.0.0.1:3102), or over stdio
 * with `--stdio`. The only file that reads the environment or opens a port.
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
  createWorkspaceDeps,
  createWorkspaceServer,
  removeWorkspaceState,
  SERVER_INFO,
  workspaceConfigSchema,
  workspaceMigrations,
  workspaceTools,
} from './server.js';

try {
  const config = loadConfig(workspaceConfigSchema);
  const authenticator = createAuthenticator(authSettingsFrom(config));
  const runtime = openRuntime({
    name: 'workspace',
    config,
    migrations: workspaceMigrations,
    onHandleEnded: (db, handle) => removeWorkspaceState(db, handle.id),
  });
  const deps = createWorkspaceDeps(runtime, {
    idleTtlMs: config.WORKSPACE_IDLE_TTL,
    absoluteTtlMs: config.WORKSPACE_MAX_LIFETIME,
    quotaPerPrincipal: config.WORKSPACE_QUOTA,
    maxFileBytes: config.WORKSPACE_MAX_FILE_BYTES,
    maxWorkspaceBytes: config.WORKSPACE_MAX_BYTES,
    maxFiles: config.WORKSPACE_MAX_FILES,
  });
  const factory = createWorkspaceServer(deps, runtime, config.LIST_TTL);

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
      toolNames: workspaceTools.map((tool) => tool.name),
    });
    runtime.logger.info({ url: http.url, auth: authenticator.mode, dataDir: config.DATA_DIR }, 'listening');
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void http.close().finally(() => (runtime.close(), process.exit(0))));
    }
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`workspace: ${error.message}\n`);
  process.exit(1);
}
