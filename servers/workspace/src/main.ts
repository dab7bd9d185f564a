#!/usr/bin/env node
/**
 * Runs the workspace server: over HTTP by default (POST /mcp on 127.0.0.1:3102), or over stdio
 * with `--stdio`. The only file that reads the environment or opens a port.
 */
import { authSettingsFrom, createAuthenticator, loadConfig, openRuntime, runMain, serve } from '@sessionless/kit';
import {
  createWorkspaceDeps,
  createWorkspaceServer,
  SERVER_INFO,
  workspaceConfigSchema,
  workspaceMigrations,
  workspaceTools,
} from './server.js';

await runMain('workspace', async () => {
  const config = loadConfig(workspaceConfigSchema);
  const authenticator = createAuthenticator(authSettingsFrom(config));
  const runtime = openRuntime({
    name: 'workspace',
    config,
    migrations: workspaceMigrations,
  });
  const deps = createWorkspaceDeps(runtime, config);
  await serve({
    info: SERVER_INFO,
    config,
    authenticator,
    runtime,
    factory: createWorkspaceServer(deps, runtime, config.LIST_TTL),
    toolNames: workspaceTools.map((tool) => tool.name),
  });
});
