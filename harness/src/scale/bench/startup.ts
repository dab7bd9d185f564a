/**
 * `sessionless-harness startup`: how long a new instance takes to be useful, per server. Each run
 * spawns `node <entry>` and times it to its first answered 2026-07-28 `tools/list` (not to the
 * "listening" line: the first answer is what a load balancer waits for), next to a bare
 * `node -e 0` in the same run. A first, unrecorded start creates the store, so the recorded ones
 * are what an instance joining a running deployment costs. The browser server finds Chromium at
 * start-up but launches it on first use, so no Chromium is launched here. Each server is started
 * twice per round: as its one-file bundle (what `npm start` runs) and as the compiled modules the
 * bundle was made from, so the report shows what loading hundreds of small modules costs.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@sessionless/kit';
import { startProcess } from '../../fleet/process.js';
import { serverEntry, SERVER_NAMES, type ServerName } from '../../fleet/servers.js';
import { machine, type Machine } from '../../shared/machine.js';
import { median } from './summary.js';

export const STARTUP_SCHEMA = 'sessionless-harness/startup@1';

export interface StartupRow {
  /** A server's name (its bundle), `<server> (modules)` (its compiled modules), or `node -e 0`. */
  name: string;
  /** Milliseconds of each recorded run. */
  runsMs: number[];
  medianMs: number | null;
  /** The median over the bare Node.js start's median: what the server adds. */
  overNodeMs: number | null;
  ok: boolean;
  problem?: string;
}

export interface StartupReport {
  schema: typeof STARTUP_SCHEMA;
  ok: boolean;
  command: string;
  machine: Machine;
  startedAt: string;
  runs: number;
  rows: StartupRow[];
}

export interface StartupOptions {
  command: string;
  runs: number;
  servers?: readonly ServerName[];
  log?: (line: string) => void;
  registerStop?: (stop: () => Promise<void>) => void;
}

export async function runStartup(options: StartupOptions): Promise<StartupReport> {
  const startedAt = new Date().toISOString();
  const log = options.log ?? (() => {});
  const servers = options.servers ?? SERVER_NAMES;
  const entries = servers.flatMap((server) => [
    { label: server, server, entry: serverEntry(server) },
    { label: `${server} (modules)`, server, entry: serverEntry(server, 'modules') },
  ]);
  const dataDir = mkdtempSync(join(tmpdir(), 'sessionless-startup-'));
  const stoppers = new Set<() => Promise<void>>();
  options.registerStop?.(async () => {
    await Promise.all([...stoppers].map((stop) => stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });
  const secret = randomBytes(32).toString('base64url');
  const token = await signDevToken(secret, 'startup', { expiresIn: '1h' });

  const node: number[] = [];
  const measured = new Map<string, { runsMs: number[]; problem?: string }>(
    entries.map(({ label }) => [label, { runsMs: [] }]),
  );
  try {
    // Interleaved, so drift on the machine falls on every row alike; round 0 is the warm-up.
    for (let round = 0; round <= options.runs; round += 1) {
      node.push(timeBareNode());
      for (const { label, server, entry } of entries) {
        const row = measured.get(label)!;
        if (row.problem) continue;
        try {
          // Both forms of a server share its data directory: the warm-up's store serves them both.
          const ms = await timeFirstList(server, entry, { dataDir: join(dataDir, server), secret, token }, stoppers);
          if (round > 0) row.runsMs.push(ms);
          log(`${label}: ${round === 0 ? 'warm-up ' : ''}start to first tools/list ${ms.toFixed(0)} ms`);
        } catch (error) {
          row.problem = (error as Error).message;
          log(`${label}: ${row.problem}`);
        }
      }
    }
  } finally {
    await Promise.all([...stoppers].map((stop) => stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
  const nodeRuns = node.slice(1);
  const nodeMedian = median(nodeRuns);
  const rows: StartupRow[] = [
    { name: 'node -e 0', runsMs: nodeRuns.map(round), medianMs: roundOrNull(nodeMedian), overNodeMs: 0, ok: true },
    ...entries.map(({ label }): StartupRow => {
      const { runsMs, problem } = measured.get(label)!;
      const mid = median(runsMs);
      return {
        name: label,
        runsMs: runsMs.map(round),
        medianMs: roundOrNull(mid),
        // From the rounded medians, so the row adds up as printed.
        overNodeMs: mid === null || nodeMedian === null ? null : round(mid) - round(nodeMedian),
        ok: !problem && runsMs.length === options.runs,
        ...(problem && { problem }),
      };
    }),
  ];
  return {
    schema: STARTUP_SCHEMA,
    ok: rows.every((row) => row.ok),
    command: options.command,
    machine: machine(),
    startedAt,
    runs: options.runs,
    rows,
  };
}

function timeBareNode(): number {
  const started = performance.now();
  spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  return performance.now() - started;
}

/** Spawns the server, waits for its first answered tools/list, stops it; the milliseconds between. */
async function timeFirstList(
  name: ServerName,
  entry: string,
  settings: { dataDir: string; secret: string; token: string },
  stoppers: Set<() => Promise<void>>,
): Promise<number> {
  let stop: (() => Promise<void>) | undefined;
  const started = performance.now();
  try {
    const server = await startProcess({
      label: `the ${name} server`,
      entry,
      port: 0,
      env: { DATA_DIR: settings.dataDir, JWT_SECRET: settings.secret, AUTH_MODE: 'jwt' },
      timeoutMs: 30_000,
      log: () => {},
      track: (stopIt) => {
        stop = stopIt;
        stoppers.add(stopIt);
      },
      onUnexpectedExit: () => {},
    });
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${settings.token}`,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/list',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/list',
        params: {
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      }),
    });
    const body = (await response.json()) as { result?: { tools?: unknown[] } };
    const elapsed = performance.now() - started;
    if (response.status !== 200 || !body.result?.tools?.length) {
      throw new Error(`the first tools/list was answered ${response.status} without tools`);
    }
    return elapsed;
  } finally {
    if (stop) {
      stoppers.delete(stop);
      await stop();
    }
  }
}

const round = (value: number) => Math.round(value);
const roundOrNull = (value: number | null) => (value === null ? null : round(value));
