#!/usr/bin/env node
/**
 * Workspace server benchmark, against one server process on loopback with auth on:
 *   - small-file write and read throughput (req/s, p50/p99) with autocannon, in this process;
 *   - fork and merge time for a 1,000-file workspace (client-observed, one call at a time).
 * Every acknowledged write is checked afterwards against the server's etags (SHA-256 of the
 * content), and every merge against a diff. Prints a table, writes reports/bench-workspace.json.
 *
 *   node bench/workspace.mjs [--duration 5] [--warmup 2] [--connections 16] [--rounds 10] [--quiet-wait 30]
 *
 * Runs servers/workspace/dist/main.js when it is newer than the sources, else src/main.ts through
 * tsx (the report says which); the kit must be built. Bounded: a watchdog ends the run after 5 min.
 * Shared with the cart benchmark (lib/): the server process, the load runner, CPU accounting and
 * the quiet-machine wait; lib/workspace-report.mjs prints the table.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { fileURLToPath, URL } from 'node:url';
import { parseArgs } from 'node:util';
import { signDevToken } from '@sessionless/kit';
import { connectModern, tempDir } from '@sessionless/kit/testing';
import { waitForQuiet } from './lib/cpu.mjs';
import { runLoad } from './lib/load.mjs';
import { modernHeaders, toolCallBody } from './lib/mcp-request.mjs';
import { log } from './lib/output.mjs';
import { serverEntry, startServer } from './lib/server-process.mjs';
import { round2 } from './lib/stats.mjs';
import { printTable, timings } from './lib/workspace-report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER = join(ROOT, 'servers/workspace');
const OUT = join(ROOT, 'reports/bench-workspace.json');
const SMALL_FILE_BYTES = 100;
const PATHS = 1_000;
const FORK_FILES = 1_000;
const FORK_CHANGES = { modified: 50, added: 10, deleted: 10 };
let rpcId = 0;

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '10' },
    'quiet-wait': { type: 'string', default: '30' },
  },
});
const DURATION = positive('duration');
const WARMUP = Number(values.warmup);
const CONNECTIONS = positive('connections');
const ROUNDS = positive('rounds');
const QUIET_WAIT = Number(values['quiet-wait']);

const watchdog = setTimeout(() => {
  process.stderr.write('bench: over 5 minutes, giving up\n');
  process.exit(1);
}, 300_000);
watchdog.unref();

const entry = serverEntry(SERVER);
const data = tempDir('bench-workspace-');
const secret = randomBytes(36).toString('base64url');
const token = await signDevToken(secret, 'bench', { expiresIn: '1h' });
const server = await startServer({
  name: 'workspace server',
  script: entry,
  env: {
    ...process.env,
    PORT: '0',
    DATA_DIR: data.path,
    JWT_SECRET: secret,
    WORKSPACE_QUOTA: String(ROUNDS + 10),
    LOG_LEVEL: 'info', // the "listening" line the start-up waits for is logged at info
  },
  timeoutMs: 15_000,
});
const client = await connectModern(server.url, { token, name: 'workspace-bench' });
const problems = [];

try {
  log(`server: ${relative(ROOT, entry)} at ${server.url}`);
  const { workspace_id: shared } = await call('workspace_create', { name: 'bench shared' });

  // Writes: distinct content every time (so each write stores a blob and frees the one it
  // replaces), rotating over PATHS paths so no two requests in flight touch the same file.
  let writes = 0;
  const lastWritten = new Map();
  const writeRequest = () => {
    const n = writes++;
    const path = `notes/n-${String(n % PATHS).padStart(4, '0')}.txt`;
    const content = `${String(n).padStart(12, '0')} ${'x'.repeat(SMALL_FILE_BYTES - 13)}`;
    return { path, content, body: toolCall('workspace_write_file', { workspace_id: shared, path, content }) };
  };
  log(`write_file: warm-up ${WARMUP} s, then ${DURATION} s with ${CONNECTIONS} connections`);
  if (WARMUP > 0) await load(WARMUP, shared, 'workspace_write_file', writeRequest);
  // The load stops with requests in flight: the server may apply those after the client stopped
  // listening, so a path may also hold the last write sent to it, never anything older.
  const lastSent = new Map();
  const write = await load(DURATION, shared, 'workspace_write_file', writeRequest, {
    onSent: (sent) => lastSent.set(sent.path, sent.content),
    onAcknowledged: (sent) => lastWritten.set(sent.path, sent.content),
  });
  await checkWrites(shared, lastWritten, lastSent);

  let reads = 0;
  const written = [...lastWritten.keys()].sort();
  const readRequest = () => {
    const path = written[reads++ % written.length];
    return { body: toolCall('workspace_read_file', { workspace_id: shared, path }) };
  };
  log(`read_file: warm-up ${WARMUP} s, then ${DURATION} s with ${CONNECTIONS} connections`);
  if (WARMUP > 0) await load(WARMUP, shared, 'workspace_read_file', readRequest);
  const read = await load(DURATION, shared, 'workspace_read_file', readRequest);

  log(`fork + merge: a ${FORK_FILES}-file workspace, ${ROUNDS} rounds`);
  await waitForQuietBox();
  const forkMerge = await forkAndMerge();

  const report = {
    schema: 'sessionless-mcp/bench-workspace@1',
    command:
      `node ${relative(process.cwd(), fileURLToPath(import.meta.url))} ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt: new Date().toISOString(),
    environment: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      server: relative(ROOT, entry),
    },
    settings: {
      duration: DURATION,
      warmup: WARMUP,
      connections: CONNECTIONS,
      rounds: ROUNDS,
      smallFileBytes: SMALL_FILE_BYTES,
      paths: PATHS,
    },
    throughput: { write_file: write, read_file: read },
    forkMerge,
    problems,
  };
  mkdirSync(join(ROOT, 'reports'), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  printTable(report, OUT);
} finally {
  await client.close();
  await server.stop();
  data.remove();
}
process.exit(problems.length ? 1 : 0);

// ---------------------------------------------------------------------------------------------

/** One autocannon run; every response body is classified and every latency recorded. */
async function load(seconds, workspaceId, tool, next, { onSent, onAcknowledged } = {}) {
  const outcome = { ok: 0, isError: 0, other: 0, firstError: null };
  const headers = { ...modernHeaders(token, tool), 'Mcp-Param-Workspace-Id': workspaceId };
  await waitForQuietBox();
  const { result, latencies, cpu } = await runLoad({
    url: server.url,
    connections: CONNECTIONS,
    seconds,
    serverPid: server.pid,
    request: {
      setupRequest(req, context) {
        const sent = next();
        context.sent = sent;
        onSent?.(sent);
        return { ...req, headers, body: sent.body };
      },
      onResponse(status, body, context) {
        if (status === 200 && body.includes('"result"') && !body.includes('"isError":true')) {
          outcome.ok++;
          onAcknowledged?.(context.sent);
          return;
        }
        if (status === 200 && body.includes('"isError":true')) outcome.isError++;
        else outcome.other++;
        outcome.firstError ??= `HTTP ${status}: ${body.slice(0, 300)}`;
      },
    },
  });
  const errors = outcome.isError + outcome.other + (result.errors ?? 0);
  if (errors) problems.push(`${tool}: ${errors} failed requests (first: ${outcome.firstError ?? 'connection error'})`);
  const { p50, p99 } = latencies.summary();
  return {
    requests: outcome.ok + outcome.isError + outcome.other,
    ok: outcome.ok,
    errors,
    seconds: round2(result.duration),
    rps: round2(outcome.ok / result.duration),
    p50Ms: round2(p50 ?? NaN),
    p99Ms: round2(p99 ?? NaN),
    serverCpuPercentOfCore: round2(cpu.serverPct),
    boxCpuPercentOfCore: round2(cpu.boxPct),
  };
}

/** Every acknowledged write is on the server: each path's etag is the SHA-256 of its last write. */
async function checkWrites(workspaceId, lastWritten, lastSent) {
  const { files } = await call('workspace_list_files', { workspace_id: workspaceId, prefix: 'notes/', limit: 10_000 });
  const etags = new Map(files.map((file) => [file.path, file.etag]));
  const sha256 = (text) => createHash('sha256').update(text).digest('hex');
  let lost = 0;
  for (const [path, content] of lastWritten) {
    const etag = etags.get(path);
    if (etag !== sha256(content) && etag !== sha256(lastSent.get(path))) lost++;
  }
  if (lost) problems.push(`${lost} of ${lastWritten.size} paths do not hold their last acknowledged write`);
  log(`  checked ${lastWritten.size} paths against the server's etags: ${lost} mismatches`);
}

/** Fork a 1,000-file workspace, change 70 files in the fork, merge it back; time the two calls. */
async function forkAndMerge() {
  const files = Array.from({ length: FORK_FILES }, (_, i) => ({
    path: `src/module-${String(i).padStart(4, '0')}.ts`,
    content: `export const value${i} = ${i};\n${'// filler\n'.repeat(8)}`,
  }));
  const { workspace_id: base } = await call('workspace_create', { name: 'bench base', files });
  const forks = [];
  const merges = [];
  for (let round = 0; round < ROUNDS; round++) {
    const forkStarted = performance.now();
    const fork = await call('workspace_fork', { workspace_id: base });
    forks.push(performance.now() - forkStarted);
    if (fork.file_count !== FORK_FILES + round * (FORK_CHANGES.added - FORK_CHANGES.deleted)) {
      problems.push(`round ${round}: the fork holds ${fork.file_count} files`);
    }
    const id = fork.workspace_id;
    const existing = (await call('workspace_list_files', { workspace_id: id, prefix: 'src/', limit: 10_000 })).files;
    for (let i = 0; i < FORK_CHANGES.modified; i++) {
      const path = existing[(round * 97 + i * 13) % existing.length].path;
      await call('workspace_write_file', { workspace_id: id, path, content: `// round ${round}\n` });
    }
    for (let i = 0; i < FORK_CHANGES.added; i++) {
      await call('workspace_write_file', { workspace_id: id, path: `added/r${round}-${i}.ts`, content: `${round}\n` });
    }
    const modified = new Set(
      Array.from({ length: FORK_CHANGES.modified }, (_, i) => (round * 97 + i * 13) % existing.length),
    );
    const deletable = existing.filter((_, index) => !modified.has(index)).slice(0, FORK_CHANGES.deleted);
    for (const file of deletable) await call('workspace_delete_file', { workspace_id: id, path: file.path });

    const mergeStarted = performance.now();
    const merged = await call('workspace_merge', { from_id: id, into_id: base });
    merges.push(performance.now() - mergeStarted);
    const expected = FORK_CHANGES.modified + FORK_CHANGES.added + FORK_CHANGES.deleted;
    if (merged.changes.length !== expected) problems.push(`round ${round}: merged ${merged.changes.length} changes`);
    const diff = await call('workspace_diff', { workspace_id: id, base_id: base, patches: false });
    if (!diff.identical) problems.push(`round ${round}: base and fork differ after the merge`);
    await call('workspace_destroy', { workspace_id: id });
  }
  return {
    files: FORK_FILES,
    changesPerMerge: FORK_CHANGES,
    rounds: ROUNDS,
    fork: timings(forks),
    merge: timings(merges),
  };
}

/** Waits (at most --quiet-wait seconds) until the box is under half a core busy; other load skews every number. */
async function waitForQuietBox() {
  const { busy, quiet } = await waitForQuiet({ isQuiet: (busy) => busy < 50, maxWaitMs: QUIET_WAIT * 1000 });
  if (!quiet) problems.push(`the box stayed busy (${Math.round(busy)}% of a core) before a run; numbers are noisy`);
}

async function call(name, args) {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name}: ${result.content?.[0]?.text}`);
  return result.structuredContent;
}

function toolCall(name, args) {
  return toolCallBody(++rpcId, name, args);
}

function positive(name) {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`--${name} must be a positive integer; got ${JSON.stringify(values[name])}\n`);
    process.exit(2);
  }
  return value;
}
