/**
 * The store's write ceiling, measured in the same run: the cart's own store-ceiling script
 * (servers/cart/dist/store-ceiling.js, the keyed add in SQLite with no MCP or HTTP) run once
 * alone, then as two processes on one file over the same window. The harness only runs it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../fleet/servers.js';
import type { StoreCeiling } from '../report/schema.js';

/** The store's write rate for the cart's add: one writer, then two processes on one file. */
export async function measureStoreCeiling(log: (line: string) => void, seconds: number): Promise<StoreCeiling | null> {
  const entry = join(REPO_ROOT, 'servers', 'cart', 'dist', 'store-ceiling.js');
  if (!existsSync(entry)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'sessionless-ceiling-'));
  try {
    log('measuring the store write ceiling (SQLite, the cart add without MCP or HTTP)');
    const one = await ceilingProcess(entry, dir, seconds, Date.now() + 500);
    // Both start their clocks at the same moment, so their windows overlap.
    const startAt = Date.now() + 1_500;
    const two = await Promise.all([
      ceilingProcess(entry, dir, seconds, startAt),
      ceilingProcess(entry, dir, seconds, startAt),
    ]);
    return {
      writesPerSecond: Math.round(one),
      twoWritersPerSecond: Math.round(two[0] + two[1]),
      seconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function ceilingProcess(entry: string, dir: string, seconds: number, startAt: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], {
      env: {
        ...process.env,
        DATA_DIR: dir,
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
      const rate = (JSON.parse(out.trim().split('\n').at(-1) || '{}') as { writesPerSecond?: number }).writesPerSecond;
      if (code === 0 && rate !== undefined) resolve(rate);
      else reject(new Error(`the store ceiling run failed (exit ${code}): ${out.slice(0, 200)}`));
    });
  });
}
