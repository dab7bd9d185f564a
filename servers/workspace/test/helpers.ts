/**
 * Test helpers: the workspace server in the test process (its real MCP handler, a real SQLite
 * file, a test clock) for tool behaviour, or as real processes (the bundle `npm start` runs)
 * sharing one SQLite file where the claim is about processes; peek at that file; send raw HTTP
 * for wire-level checks.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig, openStore, type Store, signDevToken } from '@sessionless/kit';
import {
  dropSchema,
  rows,
  serveInProcess,
  storeEnv,
  startServerProcess,
  tempDir,
  type InProcessApp,
  type ModernClient,
  type ServerProcess,
  type ToolResult,
  type StoreDialect,
} from '@sessionless/kit/testing';
import { workspaceMigrations } from '../src/domain/schema.js';
import {
  createWorkspaceDeps,
  createWorkspaceServer,
  workspaceTools,
  workspaceConfigSchema,
  type WorkspaceDeps,
} from '../src/index.js';

/** The bundle `npm start` runs (the project's global set-up builds it first). */
export const ENTRY = fileURLToPath(new URL('../dist/main.bundle.js', import.meta.url));
export const SECRET = 'workspace-tests-secret-long-enough-for-hs256';
export const AUDIENCE = 'sessionless-workspace';

/** A token this server accepts: signed with SECRET, for its audience (`options` may override either). */
export function tokenFor(subject: string, options: Parameters<typeof signDevToken>[2] = {}): Promise<string> {
  return signDevToken(SECRET, subject, { audience: AUDIENCE, ...options });
}

export interface WorkspaceFixture {
  servers: ServerProcess[];
  dataDir: string;
  /** The store the servers share, opened in this process to assert on it. */
  store(): Promise<Store>;
  stop(): Promise<void>;
}

/** The workspace server wired as `main.ts` wires it, answering in this process; `env` as for the process. */
export function workspaceInProcess(
  env: Record<string, string> = {},
  store: StoreDialect = 'sqlite',
): Promise<InProcessApp<WorkspaceDeps>> {
  return serveInProcess({
    name: 'workspace',
    schema: workspaceConfigSchema,
    env,
    store,
    migrations: workspaceMigrations,
    deps: createWorkspaceDeps,
    tools: workspaceTools,
    factory: (tools, config) => createWorkspaceServer(tools, config.LIST_TTL),
  });
}

/** Starts `count` workspace processes sharing one store: a fresh SQLite file, or a fresh PostgreSQL schema. */
export async function startWorkspace(
  env: Record<string, string> = {},
  count = 1,
  store: StoreDialect = 'sqlite',
): Promise<WorkspaceFixture> {
  const dir = tempDir('workspace-test-');
  const storeSettings = storeEnv(store, 'workspace');
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      startServerProcess({
        entry: ENTRY,
        env: { DATA_DIR: dir.path, SWEEP_INTERVAL: '1h', ...storeSettings, ...env },
      }),
    ),
  );
  let shared: Store | undefined;
  return {
    servers,
    dataDir: dir.path,
    async store() {
      const config = loadConfig(workspaceConfigSchema, { DATA_DIR: dir.path, ...storeSettings });
      shared ??= await openStore('workspace', config, []);
      return shared;
    },
    async stop() {
      await shared?.close();
      await Promise.all(servers.map((server) => server.stop()));
      dir.remove();
      if (storeSettings.DATABASE_URL) await dropSchema(storeSettings.DATABASE_URL, storeSettings.DATABASE_SCHEMA!);
    },
  };
}

export async function countRows(
  store: Store,
  table: 'blobs' | 'files' | 'workspaces' | 'fork_points',
): Promise<number> {
  const [row] = await rows<{ n: number }>(store, `SELECT count(*) AS n FROM ${table}`);
  return row!.n;
}

/** A tools/call through a v2 client, returning the raw result. */
export function caller(client: ModernClient) {
  return (name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args }) as Promise<ToolResult>;
}

export interface Summary {
  workspace_id: string;
  parent_id: string | null;
  file_count: number;
  bytes: number;
  version: number;
}

/** `count` small text files named `dir/file-0001.txt` ... with distinct contents. */
export function manyFiles(count: number, dir = 'src', tag = 'v1'): Array<{ path: string; content: string }> {
  return Array.from({ length: count }, (_, i) => ({
    path: `${dir}/file-${String(i).padStart(4, '0')}.txt`,
    content: `file ${i} ${tag}\n`,
  }));
}

// Result assertions and raw requests are shared by every server's tests.
export {
  MODERN_META,
  ok,
  raw,
  rawModern,
  toolError,
  type RawResponse,
  type ToolResult,
  type StoreDialect,
} from '@sessionless/kit/testing';
