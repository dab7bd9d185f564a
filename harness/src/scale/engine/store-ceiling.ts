/**
 * The store's write ceiling, measured in the same run: the cart's own store-ceiling script
 * (servers/cart/dist/store-ceiling.js, the keyed add with no MCP or HTTP), on SQLite once alone
 * and then as two processes on one file; on PostgreSQL with one connection and then N processes
 * of one connection each, the database server's CPU counted. The harness only runs it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../fleet/database.js';
import { REPO_ROOT } from '../../fleet/servers.js';
import type { PostgresCeiling, StoreCeiling } from '../report/schema.js';
import { CpuWatch } from './cpu.js';

const entry = () => join(REPO_ROOT, 'servers', 'cart', 'dist', 'store-ceiling.js');

/** The store's write rate for the cart's add: one writer, then two processes on one file. */
export async function measureStoreCeiling(log: (line: string) => void, seconds: number): Promise<StoreCeiling | null> {
  if (!existsSync(entry())) return null;
  const dir = mkdtempSync(join(tmpdir(), 'sessionless-ceiling-'));
  const env = { DATA_DIR: dir, DATABASE_URL: undefined };
  try {
    log('measuring the store write ceiling (SQLite, the cart add without MCP or HTTP)');
    const one = await ceilingProcess(env, seconds, Date.now() + 500);
    // Both start their clocks at the same moment, so their windows overlap.
    const startAt = Date.now() + 1_500;
    const two = await Promise.all([ceilingProcess(env, seconds, startAt), ceilingProcess(env, seconds, startAt)]);
    return {
      writesPerSecond: Math.round(one.writesPerSecond),
      twoWritersPerSecond: Math.round(two[0].writesPerSecond + two[1].writesPerSecond),
      seconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same add on PostgreSQL: one connection, then `connections` processes at once. */
export async function measurePostgresCeiling(
  log: (line: string) => void,
  seconds: number,
  connections: number,
  database: Pick<Database, 'url' | 'pids'>,
): Promise<PostgresCeiling | null> {
  if (!existsSync(entry())) return null;
  const env = { DATABASE_URL: database.url, DATA_DIR: tmpdir() };
  log(
    `measuring the store write ceiling (PostgreSQL, the cart add without MCP or HTTP, 1 and ${connections} connections)`,
  );
  const one = await ceilingProcess(env, seconds, Date.now() + 1_000);
  // Each process connects and checks the migrations first; the windows open together after that.
  const startAt = Date.now() + 2_000 + 500 * connections;
  const cpu = new CpuWatch({ database: () => database.pids() });
  const watch = setTimeout(() => cpu.start(), startAt - Date.now());
  const many = await Promise.all(Array.from({ length: connections }, () => ceilingProcess(env, seconds, startAt)));
  clearTimeout(watch);
  const databaseSeconds = cpu.stop().seconds.database || null;
  const writes = many.reduce((sum, r) => sum + r.writes, 0);
  return {
    oneConnection: Math.round(one.writesPerSecond),
    connections,
    manyConnections: Math.round(many.reduce((sum, r) => sum + r.writesPerSecond, 0)),
    seconds,
    databaseMsPerAdd: databaseSeconds && writes ? Math.round((1e6 * databaseSeconds) / writes) / 1000 : null,
  };
}

interface CeilingResult {
  writes: number;
  writesPerSecond: number;
}

function ceilingProcess(env: Record<string, string | undefined>, seconds: number, startAt: number) {
  return new Promise<CeilingResult>((resolve, reject) => {
    const child = spawn(process.execPath, [entry()], {
      env: {
        ...process.env,
        ...env,
        CEILING_SECONDS: String(seconds),
        CEILING_START_AT: String(startAt),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      const result = JSON.parse(out.trim().split('\n').at(-1) || '{}') as Partial<CeilingResult>;
      if (code === 0 && result.writesPerSecond !== undefined && result.writes !== undefined) {
        resolve({ writes: result.writes, writesPerSecond: result.writesPerSecond });
      } else reject(new Error(`the store ceiling run failed (exit ${code}): ${out.slice(0, 200)}`));
    });
  });
}
