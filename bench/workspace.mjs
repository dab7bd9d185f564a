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
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, URL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { signDevToken } from '@sessionless/kit';
import { connectModern, startServerProcess, tempDir } from '@sessionless/kit/testing';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER = join(ROOT, 'servers/workspace');
const OUT = join(ROOT, 'reports/bench-workspace.json');
const PROTOCOL = '2026-07-28';
const META = `"_meta":{"io.modelcontextprotocol/protocolVersion":"${PROTOCOL}","io.modelcontextprotocol/clientCapabilities":{}}`;
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

const entry = pickEntry();
const data = tempDir('bench-workspace-');
const secret = randomBytes(36).toString('base64url');
const token = await signDevToken(secret, 'bench', { expiresIn: '1h' });
const server = await startServerProcess({
  entry,
  env: { DATA_DIR: data.path, JWT_SECRET: secret, WORKSPACE_QUOTA: String(ROUNDS + 10), LOG_LEVEL: 'warn' },
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
  await waitForQuiet();
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
  printTable(report);
} finally {
  await client.close();
  await server.stop();
  data.remove();
}
process.exit(problems.length ? 1 : 0);

// ---------------------------------------------------------------------------------------------

/** One autocannon run; every response body is classified and every latency recorded. */
async function load(seconds, workspaceId, tool, next, { onSent, onAcknowledged } = {}) {
  const latencies = [];
  const outcome = { ok: 0, isError: 0, other: 0, firstError: null };
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': PROTOCOL,
    'mcp-method': 'tools/call',
    'mcp-name': tool,
    'mcp-param-workspace-id': workspaceId,
    authorization: `Bearer ${token}`,
  };
  await waitForQuiet();
  const box0 = boxCpu();
  const server0 = processCpu(server.child.pid);
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.url,
        method: 'POST',
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 10,
        requests: [
          {
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
        ],
      },
      (error, value) => (error ? reject(error) : resolve(value)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const box1 = boxCpu();
  const wallJiffies = Math.max(1, (box1.total - box0.total) / box1.cpus);
  const errors = outcome.isError + outcome.other + (result.errors ?? 0);
  if (errors) problems.push(`${tool}: ${errors} failed requests (first: ${outcome.firstError ?? 'connection error'})`);
  latencies.sort((a, b) => a - b);
  const at = (q) => round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? NaN);
  return {
    requests: outcome.ok + outcome.isError + outcome.other,
    ok: outcome.ok,
    errors,
    seconds: round(result.duration),
    rps: round(outcome.ok / result.duration),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    serverCpuPercentOfCore: round((100 * (processCpu(server.child.pid) - server0)) / wallJiffies),
    boxCpuPercentOfCore: round((100 * (box1.busy - box0.busy)) / wallJiffies),
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
  const stats = (samples) => {
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      medianMs: round(sorted[Math.floor(sorted.length / 2)]),
      minMs: round(sorted[0]),
      maxMs: round(sorted.at(-1)),
      samplesMs: samples.map(round),
    };
  };
  return {
    files: FORK_FILES,
    changesPerMerge: FORK_CHANGES,
    rounds: ROUNDS,
    fork: stats(forks),
    merge: stats(merges),
  };
}

function printTable(report) {
  const { throughput, forkMerge, settings } = report;
  const rows = [
    ['operation', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'srv CPU', 'box CPU'],
    ...Object.entries(throughput).map(([name, t]) => [
      `${name} (${settings.smallFileBytes} B)`,
      t.rps.toFixed(0),
      t.p50Ms.toFixed(2),
      t.p99Ms.toFixed(2),
      String(t.errors),
      `${t.serverCpuPercentOfCore.toFixed(0)}%`,
      `${t.boxCpuPercentOfCore.toFixed(0)}%`,
    ]),
  ];
  const changes = Object.values(forkMerge.changesPerMerge).reduce((a, b) => a + b, 0);
  const timed = [
    ['operation', 'median ms', 'min ms', 'max ms', 'rounds'],
    ...[
      [`fork (${forkMerge.files} files)`, forkMerge.fork],
      [`merge (${changes} changes into ${forkMerge.files} files)`, forkMerge.merge],
    ].map(([name, s]) => [
      name,
      s.medianMs.toFixed(2),
      s.minMs.toFixed(2),
      s.maxMs.toFixed(2),
      String(forkMerge.rounds),
    ]),
  ];
  const print = (table) => {
    const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
    for (const row of table)
      out(row.map((cell, c) => (c ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  '));
  };
  out(
    `\nworkspace bench: node ${report.environment.node}, ${report.environment.cpus} CPUs, ${report.environment.server}, ` +
      `HS256 JWT, ${settings.connections} connections, ${settings.duration} s per run\n`,
  );
  print(rows);
  out('');
  print(timed);
  for (const problem of report.problems) out(`PROBLEM: ${problem}`);
  out(`\nJSON: ${relative(process.cwd(), OUT)}`);
}

/** Busy and total jiffies of the whole box, from /proc/stat. */
function boxCpu() {
  const text = readFileSync('/proc/stat', 'utf8');
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = text
    .slice(0, text.indexOf('\n'))
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq;
  return { busy, total: busy + idle + iowait + steal, cpus: (text.match(/^cpu\d+ /gm) ?? []).length || 1 };
}

/** utime + stime of one process in jiffies. */
function processCpu(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Waits (at most --quiet-wait seconds) until the box is under half a core busy; other load skews every number. */
async function waitForQuiet() {
  const deadline = Date.now() + QUIET_WAIT * 1000;
  for (;;) {
    const a = boxCpu();
    await sleep(1_000);
    const b = boxCpu();
    const busy = (100 * (b.busy - a.busy)) / Math.max(1, (b.total - a.total) / b.cpus);
    if (busy < 50) return;
    if (Date.now() > deadline) {
      problems.push(`the box stayed busy (${Math.round(busy)}% of a core) before a run; numbers are noisy`);
      return;
    }
  }
}

async function call(name, args) {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name}: ${result.content?.[0]?.text}`);
  return result.structuredContent;
}

function toolCall(name, args) {
  return `{"jsonrpc":"2.0","id":${++rpcId},"method":"tools/call","params":{"name":"${name}","arguments":${JSON.stringify(args)},${META}}}`;
}

function pickEntry() {
  const built = join(SERVER, 'dist/main.js');
  const newest = (path) =>
    statSync(path).isDirectory()
      ? Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))))
      : statSync(path).mtimeMs;
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(SERVER, 'src'))) return built;
  return join(SERVER, 'src/main.ts');
}

function positive(name) {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`--${name} must be a positive integer; got ${JSON.stringify(values[name])}\n`);
    process.exit(2);
  }
  return value;
}

function round(value) {
  return Math.round(value * 100) / 100;
}

function out(line = '') {
  process.stdout.write(`${line}\n`);
}

function log(line) {
  process.stderr.write(`${line}\n`);
}
