#!/usr/bin/env node
/**
 * Benchmark: `cart_add_item` on one cart server instance with auth on, measured in the same run as
 * two baselines - a raw `node:http` JSON-RPC responder (the ceiling) and the SDK's stock stateless
 * echo server (what a user gets out of the box) - with one load generator (autocannon, in this
 * process) sending the same 2026-07-28 request style to all three. Each target is its own process;
 * with `taskset` the servers share cpu0 and the load generator runs alone on cpu1. Prints a table
 * with ratios and writes `reports/bench-cart.json`. Method and caveats: bench/README.md.
 *
 * This file is long on purpose: it is one self-contained tool (options, processes, workloads,
 * measurement, report), read top to bottom.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, URL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { fetch } = globalThis; // Node's built-in fetch (undici), used for setup and checks only

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = fileURLToPath(import.meta.url);
const PROTOCOL = '2026-07-28';
const META = `"_meta":{"io.modelcontextprotocol/protocolVersion":"${PROTOCOL}","io.modelcontextprotocol/clientCapabilities":{}}`;
/** What every request carries, whatever the target: the modern headers and the bearer token. */
const modernHeaders = (token, tool) => ({
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
  'MCP-Protocol-Version': PROTOCOL,
  'Mcp-Method': 'tools/call',
  'Mcp-Name': tool,
  Authorization: `Bearer ${token}`,
});
const MAX_LINE_QUANTITY = 10_000; // the cart's per-line cap, on top of the product's stock
const RESULTS_SCHEMA = 'sessionless-mcp/bench-cart-add-item@1';

const TARGETS = {
  cart: { label: 'cart_add_item (cart server, auth on)', script: 'servers/cart/dist/main.js' },
  'kit-echo': { label: 'echo served by the kit (auth on)', script: 'bench/targets/kit-echo.mjs' },
  echo: { label: 'SDK stock echo (per-request McpServer)', script: 'bench/targets/sdk-echo.mjs' },
  raw: { label: 'raw node:http JSON-RPC (ceiling)', script: 'bench/targets/raw-ceiling.mjs' },
};

const USAGE = `Usage: node bench/cart-add-item.mjs [options]   (or: npm run bench -- [options])

  --quick              smoke run: 1 s warm-up, 1 x 3 s per target, no discards
  --duration <s>       seconds per measured run          (BENCH_DURATION, default 10)
  --warmup <s>         seconds of warm-up per target      (BENCH_WARMUP, default 10)
  --runs <n>           measured runs per target           (BENCH_RUNS, default 2)
  --connections <n>    concurrent connections             (BENCH_CONNECTIONS, default 50)
  --targets <list>     comma list of cart,kit-echo,echo,raw (BENCH_TARGETS, default all four)
  --out <file>         JSON report                        (BENCH_OUT, default reports/bench-cart.json)
  --max-other <pct>    discard and repeat a run in which other processes used more than this
                       much of a core                     (BENCH_MAX_OTHER, default 25)
  --max-discards <n>   discards allowed in the whole run  (BENCH_MAX_DISCARDS, default 4)
  --quiet-wait <s>     longest wait for a quiet box before each run (BENCH_QUIET_WAIT, default 20)
  --no-pin             do not pin with taskset            (BENCH_PIN=0)
  --cpu-prof <dir>     start the servers with node --cpu-prof, profiles written to <dir>
  --check              exit 2 when cart_add_item is slower than the stock SDK echo
`;

// ---------------------------------------------------------------------------------------------
// Options and CPU pinning

function readOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        quick: { type: 'boolean' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        runs: { type: 'string' },
        connections: { type: 'string' },
        targets: { type: 'string' },
        out: { type: 'string' },
        'max-other': { type: 'string' },
        'max-discards': { type: 'string' },
        'quiet-wait': { type: 'string' },
        'no-pin': { type: 'boolean' },
        'cpu-prof': { type: 'string' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail(`${error.message}\n\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const env = process.env;
  const quick = Boolean(values.quick) || env.BENCH_QUICK === '1';
  const number = (flag, envName, fallback, { min, integer = false }) => {
    const raw = values[flag] ?? env[envName];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      fail(
        `--${flag} (${envName}) must be ${integer ? 'an integer' : 'a number'} >= ${min}; got ${JSON.stringify(raw)}`,
      );
    }
    return value;
  };
  const targets = (values.targets ?? env.BENCH_TARGETS ?? 'cart,kit-echo,echo,raw')
    .split(',')
    .map((name) => name.trim());
  for (const name of targets) {
    if (!(name in TARGETS))
      fail(`--targets: unknown target ${JSON.stringify(name)}; use cart, kit-echo, echo and/or raw`);
  }
  return {
    quick,
    duration: number('duration', 'BENCH_DURATION', quick ? 3 : 10, { min: 1 }),
    warmup: number('warmup', 'BENCH_WARMUP', quick ? 1 : 10, { min: 0 }),
    runs: number('runs', 'BENCH_RUNS', quick ? 1 : 2, { min: 1, integer: true }),
    connections: number('connections', 'BENCH_CONNECTIONS', 50, { min: 1, integer: true }),
    targets: [...new Set(targets)],
    out: resolve(values.out ?? env.BENCH_OUT ?? join(ROOT, 'reports/bench-cart.json')),
    maxOther: number('max-other', 'BENCH_MAX_OTHER', 25, { min: 0 }),
    maxDiscards: number('max-discards', 'BENCH_MAX_DISCARDS', quick ? 0 : 4, { min: 0, integer: true }),
    quietWait: number('quiet-wait', 'BENCH_QUIET_WAIT', 20, { min: 0 }),
    pin: !values['no-pin'] && env.BENCH_PIN !== '0',
    cpuProf: values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined,
    check: Boolean(values.check),
  };
}

/** Servers on the first allowed CPU, load generator on the second; decided once, before re-exec. */
function pinningPlan(wanted) {
  if (process.env.BENCH_PIN_PLAN) {
    const [serverCpu, loadCpu] = process.env.BENCH_PIN_PLAN.split(',').map(Number);
    return { pinned: true, serverCpu, loadCpu };
  }
  if (!wanted) return { pinned: false, reason: 'disabled (--no-pin)' };
  if (spawnSync('taskset', ['-V']).error) return { pinned: false, reason: 'taskset is not installed' };
  const allowed = allowedCpus();
  if (allowed.length < 2) return { pinned: false, reason: `only ${allowed.length} CPU available` };
  return { pinned: true, serverCpu: allowed[0], loadCpu: allowed[1] };
}

function allowedCpus() {
  const line = readFileSync('/proc/self/status', 'utf8').match(/^Cpus_allowed_list:\s*(.+)$/m)?.[1] ?? '';
  return line.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number);
    return Number.isInteger(from) ? Array.from({ length: to - from + 1 }, (_, i) => from + i) : [];
  });
}

/** Re-runs this script under `taskset` on the load CPU; the servers it starts are re-pinned to cpu0. */
function reexecPinned(plan, argv) {
  const result = spawnSync(
    'taskset',
    ['-c', String(plan.loadCpu), process.execPath, ...process.execArgv, SCRIPT, ...argv],
    { stdio: 'inherit', env: { ...process.env, BENCH_PIN_PLAN: `${plan.serverCpu},${plan.loadCpu}` } },
  );
  process.exit(result.status ?? 1);
}

// ---------------------------------------------------------------------------------------------
// Target processes

async function startTarget(name, ctx) {
  const definition = TARGETS[name];
  const script = join(ROOT, definition.script);
  if (!existsSync(script)) {
    throw new Error(`${relative(ROOT, script)} is missing; build first (npm run bench builds the kit and the cart)`);
  }
  const nodeArgs = ctx.options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${ctx.options.cpuProf}`] : [];
  const command = ctx.plan.pinned ? 'taskset' : process.execPath;
  const args = [...(ctx.plan.pinned ? ['-c', String(ctx.plan.serverCpu), process.execPath] : []), ...nodeArgs, script];
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    ...(name === 'cart' || name === 'kit-echo' ? ctx.cartEnv : {}),
  };
  delete env.BENCH_PIN_PLAN;
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const tail = [];
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not log "listening" within 20 s`)), 20_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before listening:\n${tail.join('\n')}`));
    });
    // Keep draining stderr for the whole run so a chatty server never blocks on a full pipe.
    createInterface({ input: child.stderr }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 30) tail.shift();
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'listening' && typeof entry.url === 'string') {
          clearTimeout(timer);
          resolveUrl(entry.url);
        }
      } catch {
        // not a JSON log line
      }
    });
  });
  child.removeAllListeners('exit');
  const exited = new Promise((done) => child.once('exit', done));
  return { name, label: definition.label, child, pid: child.pid, url, tail, exited };
}

async function stopTarget(target) {
  if (target.child.exitCode !== null || target.child.signalCode !== null) return;
  target.child.kill('SIGTERM');
  const timer = setTimeout(() => target.child.kill('SIGKILL'), 8_000);
  await target.exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// Workloads: what each request carries. `begin(seconds)` prepares one run and returns `next()`
// (headers and body of the next request) and `finish()` (server-side checks after the run).

function echoWorkload(token) {
  let id = 0;
  return {
    describe: 'tools/call echo {text:"hello"}',
    async begin() {
      return {
        next: () => ({
          headers: modernHeaders(token, 'echo'),
          body: `{"jsonrpc":"2.0","id":${++id},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"},${META}}}`,
        }),
        finish: async () => undefined,
      };
    },
  };
}

/**
 * cart_add_item, quantity 1, on carts created for the run. A cart line may not exceed the
 * product's stock, so requests rotate over every in-stock SKU of the run's cart(s) and never ask
 * for more than a line can take: every measured request is meant to succeed.
 */
function cartWorkload(target, token, catalog) {
  const capacityPerCart = catalog.reduce((sum, product) => sum + Math.min(product.stock, MAX_LINE_QUANTITY), 0);
  const rateBound = Number(process.env.BENCH_CART_RATE_BOUND ?? 10_000);
  let id = 0;
  return {
    describe: 'tools/call cart_add_item {cart_id, sku, quantity:1} + Mcp-Param-Cart-Id, rotating SKUs',
    capacityPerCart,
    async begin(seconds) {
      const cartCount = Math.max(1, Math.ceil((seconds * rateBound) / capacityPerCart));
      const carts = [];
      for (let i = 0; i < cartCount; i++) carts.push((await callTool(target.url, token, 'cart_create', {})).cart_id);
      const slots = carts.flatMap((cartId) =>
        catalog.map((product) => ({ cartId, sku: product.sku, left: Math.min(product.stock, MAX_LINE_QUANTITY) })),
      );
      const before = await toolCallCounts(target.url, 'cart_add_item');
      let cursor = 0;
      let last = slots[0];
      let exhausted = false;
      return {
        next() {
          if (slots.length === 0) {
            exhausted = true; // sent anyway (it will fail and be counted), so the run stays honest
          } else {
            cursor %= slots.length;
            last = slots[cursor];
            last.left--;
            if (last.left > 0) {
              cursor++;
            } else {
              slots[cursor] = slots[slots.length - 1]; // the line is full: drop it
              slots.pop();
            }
          }
          return {
            headers: { ...modernHeaders(token, 'cart_add_item'), 'Mcp-Param-Cart-Id': last.cartId },
            body: `{"jsonrpc":"2.0","id":${++id},"method":"tools/call","params":{"name":"cart_add_item","arguments":{"cart_id":"${last.cartId}","sku":"${last.sku}","quantity":1},${META}}}`,
          };
        },
        async finish() {
          const after = await settledToolCallCounts(target.url, 'cart_add_item');
          let unitsInCarts = 0;
          for (const cartId of carts) {
            unitsInCarts += (await callTool(target.url, token, 'cart_get', { cart_id: cartId })).item_count;
            await callTool(target.url, token, 'cart_destroy', { cart_id: cartId });
          }
          const delta = (outcome) => (after[outcome] ?? 0) - (before[outcome] ?? 0);
          return {
            carts: carts.length,
            serverOk: delta('ok'),
            serverToolErrors: delta('tool_error') + delta('exception'),
            unitsInCarts,
            capacityExhausted: exhausted,
          };
        },
      };
    },
  };
}

/** The catalog as the server sees it, read through cart_search_products (50 per category prefix). */
async function readCatalog(target, token) {
  const bySku = new Map();
  for (const prefix of ['tea-', 'cof-', 'kit-', 'bok-', 'gar-', 'aud-']) {
    const { products } = await callTool(target.url, token, 'cart_search_products', { query: prefix, limit: 50 });
    for (const product of products) bySku.set(product.sku, product);
  }
  const inStock = [...bySku.values()].filter((product) => product.stock > 0);
  if (inStock.length === 0)
    throw new Error('cart_search_products found no product in stock; cannot drive cart_add_item');
  return inStock.sort((a, b) => (a.sku < b.sku ? -1 : 1));
}

/** One tools/call outside the measured load (setup and checks), failing loudly on any error. */
async function callTool(url, token, name, args) {
  const headers = modernHeaders(token, name);
  // cart_id is marked x-mcp-header "Cart-Id" in the cart's schemas (SEP-2243): mirror it.
  if (typeof args.cart_id === 'string') headers['Mcp-Param-Cart-Id'] = args.cart_id;
  const body = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":${JSON.stringify(name)},"arguments":${JSON.stringify(args)},${META}}}`;
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    throw new Error(`${name}: HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`);
  }
  if (!response.ok || message.error) throw new Error(`${name}: HTTP ${response.status}: ${text.slice(0, 300)}`);
  if (message.result?.isError) throw new Error(`${name} failed: ${message.result.content?.[0]?.text}`);
  return message.result.structuredContent ?? message.result;
}

/**
 * The counts once the server has finished the requests that were in flight when the load stopped
 * (the client stops counting at once; the server still completes them).
 */
async function settledToolCallCounts(url, tool) {
  let previous = await toolCallCounts(url, tool);
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    const current = await toolCallCounts(url, tool);
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    previous = current;
  }
  return previous;
}

/** `mcp_tool_calls_total` for one tool from the server's /metrics, by outcome. */
async function toolCallCounts(url, tool) {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const counts = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('mcp_tool_calls_total{') || !line.includes(`tool="${tool}"`)) continue;
    const outcome = line.match(/outcome="([^"]+)"/)?.[1];
    if (outcome) counts[outcome] = (counts[outcome] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Measurement

/**
 * Jiffies of the whole box from /proc/stat: `total` (wall time summed over CPUs, steal included),
 * `busy` (run by this VM: user, nice, system, irq, softirq; guest time is already inside user)
 * and `steal` (wanted to run but the hypervisor ran someone else), over `cpus` CPUs.
 */
function boxCpu() {
  const text = readFileSync('/proc/stat', 'utf8');
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = text
    .slice(0, text.indexOf('\n'))
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq;
  return { total: busy + idle + iowait + steal, busy, steal, cpus: (text.match(/^cpu\d+ /gm) ?? []).length || 1 };
}

/** Jiffies per second for /proc/<pid>/stat times (USER_HZ; 100 on every common Linux). */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** utime + stime of one process, in jiffies. */
function processCpu(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** A memory figure of a process from /proc/<pid>/status in MB: VmHWM (peak RSS) or VmRSS (now). */
function memoryMb(pid, field = 'VmHWM') {
  try {
    const kb = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'))?.[1];
    return kb ? Math.round(Number(kb) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** Waits (bounded) until the box has been quiet for two seconds in a row: other work is bursty. */
async function waitForQuiet(threshold, maxWaitMs) {
  const started = Date.now();
  let warned = false;
  let quietSeconds = 0;
  for (;;) {
    const a = boxCpu();
    await sleep(1_000);
    const b = boxCpu();
    const busy = (100 * (b.busy - a.busy)) / Math.max(1, (b.total - a.total) / b.cpus);
    quietSeconds = busy <= threshold ? quietSeconds + 1 : 0;
    if (quietSeconds >= 2 || Date.now() - started > maxWaitMs) return busy;
    if (!warned && quietSeconds === 0)
      log(`  waiting for other load to settle (box ${busy.toFixed(0)}% of a core busy)...`);
    warned ||= quietSeconds === 0;
  }
}

class Latencies {
  values = new Float64Array(1 << 16);
  count = 0;
  record(ms) {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = ms;
  }
  summary() {
    const sorted = this.values.slice(0, this.count).sort();
    const at = (q) => (this.count ? sorted[Math.min(this.count - 1, Math.ceil(q * this.count) - 1)] : null);
    const mean = this.count ? sorted.reduce((sum, value) => sum + value, 0) / this.count : null;
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), mean };
  }
}

/** One autocannon run against one target; every response body is classified. */
async function measure(target, ctx, seconds, phase, round) {
  const run = await target.workload.begin(seconds);
  const outcome = { ok: 0, isError: 0, rpcError: 0, non2xx: 0, okSample: null, errorSample: null };
  const latencies = new Latencies();
  const request = {
    setupRequest(req) {
      const { headers, body } = run.next();
      req.headers = headers;
      req.body = body;
      return req;
    },
    onResponse(status, body) {
      if (status !== 200) outcome.non2xx++;
      else if (body.includes('"isError":true')) outcome.isError++;
      else if (!body.includes('"result"')) outcome.rpcError++;
      else {
        outcome.ok++;
        outcome.okSample ??= body;
        return;
      }
      outcome.errorSample ??= `HTTP ${status}: ${body.slice(0, 400)}`;
    },
  };

  const box0 = boxCpu();
  const server0 = processCpu(target.pid);
  const load0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  const result = await new Promise((done, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        connections: ctx.options.connections,
        duration: seconds,
        timeout: 10,
        requests: [request],
      },
      (error, value) => (error ? reject(error) : done(value)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.record(responseTime));
  });
  const wallSeconds = Number(process.hrtime.bigint() - wall0) / 1e9;
  const load = process.cpuUsage(load0);
  const server1 = processCpu(target.pid);
  const box1 = boxCpu();
  const rssMb = memoryMb(target.pid, 'VmRSS');
  const verification = await run.finish();

  const wallJiffies = Math.max(1, (box1.total - box0.total) / box1.cpus);
  const serverPct = (100 * (server1 - server0)) / wallJiffies;
  const loadPct = (100 * (load.user + load.system)) / 1e6 / wallSeconds;
  const boxPct = (100 * (box1.busy - box0.busy)) / wallJiffies;
  const stealPct = (100 * (box1.steal - box0.steal)) / wallJiffies;
  const responses = outcome.ok + outcome.isError + outcome.rpcError + outcome.non2xx;
  return {
    target: target.name,
    phase,
    round,
    seconds: round3(result.duration ?? wallSeconds),
    responses,
    ok: outcome.ok,
    // autocannon's `errors` are connection errors and timeouts (timeouts are counted in both).
    errors: {
      non2xx: outcome.non2xx,
      isError: outcome.isError,
      jsonRpcError: outcome.rpcError,
      connection: (result.errors ?? 0) - (result.timeouts ?? 0),
      timeouts: result.timeouts ?? 0,
    },
    errorCount: responses - outcome.ok + (result.errors ?? 0),
    rps: round1(outcome.ok / (result.duration ?? wallSeconds)),
    latencyMs: mapValues(latencies.summary(), round3),
    cpuPercentOfCore: {
      server: round1(serverPct),
      loadGenerator: round1(loadPct),
      other: round1(boxPct - serverPct - loadPct),
      box: round1(boxPct),
      steal: round1(stealPct),
    },
    serverRssMb: rssMb,
    serverCpuUsPerRequest: responses ? round1((((server1 - server0) / CLOCK_TICKS) * 1e6) / responses) : null,
    sampleResponse: (outcome.okSample ?? '').slice(0, 600),
    firstError: outcome.errorSample,
    server: verification,
  };
}

function checkRun(row, ctx) {
  const problems = [];
  if (row.errorCount > 0)
    problems.push(`${row.errorCount} failed requests (first: ${row.firstError ?? 'connection error/timeout'})`);
  if (row.ok === 0) problems.push('no successful response');
  const server = row.server;
  if (server) {
    if (server.capacityExhausted) problems.push('ran out of cart capacity; raise BENCH_CART_RATE_BOUND');
    if (server.serverToolErrors > 0)
      problems.push(`server counted ${server.serverToolErrors} cart_add_item tool errors`);
    // In-flight requests when the load stops complete on the server after the client stopped counting.
    if (server.serverOk < row.ok || server.serverOk > row.ok + ctx.options.connections) {
      problems.push(`server counted ${server.serverOk} successful adds, client ${row.ok}`);
    }
    if (server.unitsInCarts !== server.serverOk) {
      problems.push(`carts hold ${server.unitsInCarts} units but the server acknowledged ${server.serverOk} adds`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Report

function summarise(name, rows, target) {
  const measured = rows.filter((row) => row.target === name);
  const pick = (f) => median(measured.map(f).filter((value) => value !== null && value !== undefined));
  return {
    label: target.label,
    url: target.url,
    runs: measured.length,
    rps: round1(pick((row) => row.rps)),
    p50Ms: round3(pick((row) => row.latencyMs.p50)),
    p99Ms: round3(pick((row) => row.latencyMs.p99)),
    runsRps: measured.map((row) => row.rps),
    errors: measured.reduce((sum, row) => sum + row.errorCount, 0),
    requests: measured.reduce((sum, row) => sum + row.responses, 0),
    serverCpuPercent: round1(pick((row) => row.cpuPercentOfCore.server)),
    serverCpuUsPerRequest: round1(pick((row) => row.serverCpuUsPerRequest)),
    loadGeneratorCpuPercent: round1(pick((row) => row.cpuPercentOfCore.loadGenerator)),
    otherCpuPercent: round1(pick((row) => row.cpuPercentOfCore.other)),
    peakRssMb: memoryMb(target.pid),
  };
}

function ratios(summary) {
  const ratio = (a, b, field) => (summary[a] && summary[b] ? round3(summary[a][field] / summary[b][field]) : null);
  const pairs = {
    cartOverEcho: ['cart', 'echo'],
    kitEchoOverEcho: ['kit-echo', 'echo'],
    cartOverKitEcho: ['cart', 'kit-echo'],
    cartOverRaw: ['cart', 'raw'],
    echoOverRaw: ['echo', 'raw'],
  };
  const out = {};
  for (const [key, [a, b]] of Object.entries(pairs)) {
    out[key] = {
      rps: ratio(a, b, 'rps'),
      p50: ratio(a, b, 'p50Ms'),
      p99: ratio(a, b, 'p99Ms'),
      serverCpuUsPerRequest: ratio(a, b, 'serverCpuUsPerRequest'),
    };
  }
  return out;
}

function printReport(report) {
  const { settings, summary, ratios: r, target } = report;
  const order = ['raw', 'echo', 'kit-echo', 'cart'].filter((name) => summary[name]);
  const header = [
    'target',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'srv CPU',
    'CPU µs/req',
    'load CPU',
    'other',
    'runs req/s',
  ];
  const rows = order.map((name) => {
    const s = summary[name];
    return [
      s.label,
      fmt(s.rps, 0),
      fmt(s.p50Ms, 2),
      fmt(s.p99Ms, 2),
      String(s.errors),
      `${fmt(s.serverCpuPercent, 0)}%`,
      fmt(s.serverCpuUsPerRequest, 0),
      `${fmt(s.loadGeneratorCpuPercent, 0)}%`,
      `${fmt(s.otherCpuPercent, 0)}%`,
      s.runsRps.map((value) => fmt(value, 0)).join(' / '),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const pin = settings.pinning.pinned
    ? `servers on cpu${settings.pinning.serverCpu}, load generator on cpu${settings.pinning.loadCpu}`
    : `not pinned: ${settings.pinning.reason}`;
  out('');
  out(
    `cart_add_item benchmark: ${settings.connections} connections, ${settings.runs} x ${settings.duration} s per target after ${settings.warmup} s warm-up; ${pin}`,
  );
  out('');
  out(line(header));
  out(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) out(line(row));
  out('');
  const ratioLine = (label, value) =>
    value?.rps
      ? `${label} ${fmt(value.rps, 3)}x req/s (p50 ${fmt(value.p50, 2)}x, p99 ${fmt(value.p99, 2)}x, CPU/req ${fmt(value.serverCpuUsPerRequest, 2)}x)`
      : null;
  for (const text of [
    ratioLine('cart / echo', r.cartOverEcho),
    ratioLine('kit-echo / echo', r.kitEchoOverEcho),
    ratioLine('cart / kit-echo', r.cartOverKitEcho),
    ratioLine('cart / raw ', r.cartOverRaw),
    ratioLine('echo / raw ', r.echoOverRaw),
  ]) {
    if (text) out(`  ${text}`);
  }
  if (target.met !== null) {
    out('');
    out(
      `Target (cart_add_item req/s >= stock SDK echo req/s): ${target.met ? 'MET' : 'NOT MET'} (${fmt(target.ratio, 3)}x)`,
    );
  }
  if (report.warnings.length) {
    out('');
    out(
      `Noisy machine: ${report.warnings.length} measured run(s) shared the CPUs with other work; treat the numbers as rough:`,
    );
    for (const warning of report.warnings) out(`  - ${warning}`);
  }
  if (report.problems.length) {
    out('');
    out('Problems (the numbers above are not valid while these stand):');
    for (const problem of report.problems) out(`  - ${problem}`);
  }
  out(`\nJSON: ${relative(process.cwd(), report.outFile) || report.outFile}`);
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const argv = process.argv.slice(2);
  const options = readOptions(argv);
  const plan = pinningPlan(options.pin);
  if (plan.pinned && !process.env.BENCH_PIN_PLAN) reexecPinned(plan, argv);

  const startedAt = new Date().toISOString();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-cart-'));
  const secret = randomBytes(36).toString('base64url');
  let kit;
  try {
    kit = await import('@sessionless/kit');
  } catch (error) {
    fail(`cannot load @sessionless/kit (${error.message}); build it first, or run npm run bench, which builds`);
  }
  const token = await kit.signDevToken(secret, 'bench', { expiresIn: '4h' });
  const ctx = {
    options,
    plan,
    cartEnv: { DATA_DIR: dataDir, JWT_SECRET: secret, AUTH_MODE: 'jwt', LOG_LEVEL: 'info' },
  };
  if (options.cpuProf) mkdirSync(options.cpuProf, { recursive: true });

  const targets = {};
  const cleanUp = async () => {
    await Promise.all(Object.values(targets).map(stopTarget));
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  }

  const rows = [];
  const warmups = [];
  const discarded = [];
  const problems = [];
  const warnings = [];
  try {
    for (const name of options.targets) {
      targets[name] = await startTarget(name, ctx);
      log(`started ${name} (pid ${targets[name].pid}) at ${targets[name].url}`);
    }
    if (targets.cart) {
      const catalog = await readCatalog(targets.cart, token);
      targets.cart.workload = cartWorkload(targets.cart, token, catalog);
      log(`cart: ${catalog.length} SKUs in stock, ${targets.cart.workload.capacityPerCart} units fit in one cart`);
    }
    for (const name of ['kit-echo', 'echo', 'raw']) if (targets[name]) targets[name].workload = echoWorkload(token);

    for (const name of options.targets) {
      if (options.warmup <= 0) continue;
      const row = await measure(targets[name], ctx, options.warmup, 'warmup', 0);
      warmups.push(row);
      log(`  ${name.padEnd(4)} warm-up   ${fmt(row.rps, 0).padStart(7)} req/s, ${row.errorCount} errors`);
      for (const problem of checkRun(row, ctx)) problems.push(`${name} warm-up: ${problem}`);
    }

    // Alternate the order every round (A B C, C B A, ...) so slow drift on the box hits all alike.
    for (let round = 1; round <= options.runs; round++) {
      const order = round % 2 === 1 ? options.targets : [...options.targets].reverse();
      for (const name of order) {
        for (;;) {
          await waitForQuiet(options.maxOther, options.quick ? 0 : options.quietWait * 1000);
          const row = await measure(targets[name], ctx, options.duration, 'measured', round);
          const noisy = row.cpuPercentOfCore.other > options.maxOther;
          const note = `other ${fmt(row.cpuPercentOfCore.other, 0)}%`;
          if (noisy && discarded.length < options.maxDiscards) {
            discarded.push({ ...row, reason: `other processes used ${row.cpuPercentOfCore.other}% of a core` });
            log(`  ${name.padEnd(4)} run ${round}/${options.runs} discarded (${note}); repeating`);
            continue;
          }
          rows.push(row);
          log(
            `  ${name.padEnd(4)} run ${round}/${options.runs} ${fmt(row.rps, 0).padStart(7)} req/s  p50 ${fmt(row.latencyMs.p50, 2)} ms  ` +
              `p99 ${fmt(row.latencyMs.p99, 2)} ms  server CPU ${fmt(row.cpuPercentOfCore.server, 0)}%  ${note}${noisy ? ' (noisy, kept)' : ''}`,
          );
          for (const problem of checkRun(row, ctx)) problems.push(`${name} run ${round}: ${problem}`);
          if (noisy)
            warnings.push(
              `${name} run ${round}: other processes used ${fmt(row.cpuPercentOfCore.other, 0)}% of a core`,
            );
          break;
        }
      }
    }
  } catch (error) {
    await cleanUp();
    fail(error.stack ?? String(error));
  }

  const summary = Object.fromEntries(options.targets.map((name) => [name, summarise(name, rows, targets[name])]));
  await cleanUp();
  const ratioTable = ratios(summary);
  const met = summary.cart && summary.echo ? summary.cart.rps >= summary.echo.rps : null;
  const outFile = options.out;
  const report = {
    schema: RESULTS_SCHEMA,
    startedAt,
    finishedAt: new Date().toISOString(),
    command: `node ${relative(ROOT, SCRIPT)} ${argv.join(' ')}`.trim(),
    environment: environment(),
    settings: {
      duration: options.duration,
      warmup: options.warmup,
      runs: options.runs,
      connections: options.connections,
      maxOtherCpuPercent: options.maxOther,
      maxDiscards: options.maxDiscards,
      quietWaitSeconds: options.quietWait,
      cpuProfile: options.cpuProf ?? null,
      pinning: plan.pinned ? { pinned: true, serverCpu: plan.serverCpu, loadCpu: plan.loadCpu } : plan,
      auth: 'cart: HS256 bearer JWT verified per request; echo and raw receive the same header and ignore it',
      workloads: Object.fromEntries(options.targets.map((name) => [name, targets[name].workload?.describe])),
    },
    summary,
    ratios: ratioTable,
    target: {
      criterion: 'cart_add_item req/s >= stock SDK echo req/s (same run, same load generator)',
      met,
      ratio: ratioTable.cartOverEcho.rps,
    },
    problems,
    warnings,
    runs: rows,
    warmups,
    discarded,
    outFile,
  };
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  printReport(report);
  if (problems.length) process.exit(1);
  if (options.check && met === false) process.exit(2);
}

function environment() {
  // Read from node_modules: some packages do not export their package.json.
  const version = (name) => {
    try {
      return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return null;
    }
  };
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpuCount: cpus().length,
    gitCommit: git.status === 0 ? git.stdout.trim() : null,
    versions: {
      autocannon: version('autocannon'),
      '@modelcontextprotocol/server': version('@modelcontextprotocol/server'),
      '@modelcontextprotocol/node': version('@modelcontextprotocol/node'),
      zod: version('zod'),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function mapValues(object, f) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, value === null ? null : f(value)]));
}

const round1 = (value) => (value === null || value === undefined ? null : Math.round(value * 10) / 10);
const round3 = (value) => (value === null || value === undefined ? null : Math.round(value * 1000) / 1000);
const fmt = (value, digits) =>
  value === null || value === undefined
    ? '-'
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const out = (text) => process.stdout.write(`${text}\n`);
const log = (text) => process.stderr.write(`${text}\n`);

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

await main();
