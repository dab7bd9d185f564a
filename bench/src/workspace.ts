/**
 * Workspace server benchmark, one server process on loopback with auth on: small-file write and
 * read throughput (req/s, p50/p99, on the harness's load generator), every acknowledged write
 * checked against the server's etags; then fork and merge time for a 1,000-file workspace. Prints
 * a table and writes reports/bench-workspace.json. Method and options: bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startFleet } from '@sessionless/harness';
import { defaultAudience, signDevToken } from '@sessionless/kit';
import { connectModern } from '@sessionless/kit/testing';
import { waitForQuiet } from './lib/quiet.js';
import { log } from './lib/table.js';
import { FORK_CHANGES, FORK_FILES, forkAndMerge, type CallTool } from './workspace-fork-merge.js';
import { lostWrites, throughput, type LoadRequest } from './workspace-load.js';
import { printTable, timings, type WorkspaceReport } from './workspace-report.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'reports', 'bench-workspace.json');
const SMALL_FILE_BYTES = 100;
const PATHS = 1_000;

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '10' },
    'quiet-wait': { type: 'string', default: '30' },
  },
});
const settings = {
  duration: positive('duration'),
  warmup: Number(values.warmup),
  connections: positive('connections'),
  rounds: positive('rounds'),
  smallFileBytes: SMALL_FILE_BYTES,
  paths: PATHS,
};
const quietWaitMs = Number(values['quiet-wait']) * 1000;

const watchdog = setTimeout(() => {
  process.stderr.write('bench: over 5 minutes, giving up\n');
  process.exit(1);
}, 300_000);
watchdog.unref();

const secret = randomBytes(36).toString('base64url');
const token = await signDevToken(secret, 'bench', { expiresIn: '1h', audience: defaultAudience('workspace') });
const fleet = await startFleet({ servers: ['workspace'], auth: { mode: 'jwt', secret }, log });
const server = fleet.endpoints[0]!;
const client = await connectModern(server.url, { token, name: 'workspace-bench' });
const problems: string[] = [];
const call: CallTool = async <T>(name: string, args: Record<string, unknown>) => {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`);
  return result.structuredContent as T;
};

try {
  const { workspace_id: shared } = await call<{ workspace_id: string }>('workspace_create', { name: 'bench shared' });
  const load = { server, token, workspaceId: shared, agents: settings.connections, log };
  const phase = { warmupSeconds: settings.warmup, seconds: settings.duration };

  // Writes: distinct content every time (so each write stores a blob and frees the one it
  // replaces), rotating over PATHS paths so no two requests in flight touch the same file.
  type Write = LoadRequest & { path: string; content: string };
  let writes = 0;
  const lastSent = new Map<string, string>();
  const lastWritten = new Map<string, string>();
  log(`write_file: warm-up ${settings.warmup} s, then ${settings.duration} s with ${settings.connections} connections`);
  await waitForQuietMachine();
  const write = await throughput<Write>({
    ...load,
    ...phase,
    tool: 'workspace_write_file',
    next: () => {
      const n = writes++;
      const path = `notes/n-${String(n % PATHS).padStart(4, '0')}.txt`;
      const content = `${String(n).padStart(12, '0')} ${'x'.repeat(SMALL_FILE_BYTES - 13)}`;
      return { path, content, args: { workspace_id: shared, path, content } };
    },
    onSent: (sent) => lastSent.set(sent.path, sent.content),
    onAcknowledged: (sent) => lastWritten.set(sent.path, sent.content),
  });
  const { files } = await call<{ files: Array<{ path: string; etag: string }> }>('workspace_list_files', {
    workspace_id: shared,
    prefix: 'notes/',
    limit: 10_000,
  });
  const lost = lostWrites(new Map(files.map((f) => [f.path, f.etag])), lastWritten, lastSent);
  if (lost) problems.push(`${lost} of ${lastWritten.size} paths do not hold their last acknowledged write`);
  log(`  checked ${lastWritten.size} paths against the server's etags: ${lost} mismatches`);

  let reads = 0;
  const written = [...lastWritten.keys()].sort();
  log(`read_file: warm-up ${settings.warmup} s, then ${settings.duration} s with ${settings.connections} connections`);
  await waitForQuietMachine();
  const read = await throughput({
    ...load,
    ...phase,
    tool: 'workspace_read_file',
    next: () => ({ args: { workspace_id: shared, path: written[reads++ % written.length] } }),
  });
  for (const [name, result] of [
    ['write_file', write],
    ['read_file', read],
  ] as const) {
    if (result.problem) problems.push(`${name}: ${result.problem}`);
  }

  log(`fork + merge: a ${FORK_FILES}-file workspace, ${settings.rounds} rounds`);
  await waitForQuietMachine();
  const { forks, merges } = await forkAndMerge(call, settings.rounds, problems);

  const report: WorkspaceReport = {
    schema: 'sessionless-mcp/bench-workspace@1',
    command: `node bench/workspace.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt: new Date().toISOString(),
    environment: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      server: 'servers/workspace/dist/main.js',
    },
    settings,
    throughput: { write_file: write, read_file: read },
    forkMerge: {
      files: FORK_FILES,
      changesPerMerge: FORK_CHANGES,
      rounds: settings.rounds,
      fork: timings(forks),
      merge: timings(merges),
    },
    problems,
  };
  mkdirSync(join(ROOT, 'reports'), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  printTable(report, relative(process.cwd(), OUT));
} finally {
  await client.close();
  await fleet.stop();
}
process.exit(problems.length ? 1 : 0);

/** Waits (at most --quiet-wait seconds) until the machine is under half a core busy. */
async function waitForQuietMachine(): Promise<void> {
  const { busy, quiet } = await waitForQuiet({ maxBusyPct: 50, maxWaitMs: quietWaitMs });
  if (!quiet) problems.push(`the box stayed busy (${Math.round(busy)}% of a core) before a run; numbers are noisy`);
}

function positive(name: 'duration' | 'connections' | 'rounds'): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`--${name} must be a positive integer; got ${JSON.stringify(values[name])}\n`);
    process.exit(2);
  }
  return value;
}
