#!/usr/bin/env node
/**
 * Benchmark: `cart_add_item` on one cart server instance with auth on, measured in the same run as
 * two baselines - a raw `node:http` JSON-RPC responder (the ceiling) and the SDK's stock stateless
 * echo server (what a user gets out of the box) - with one load generator (autocannon, in this
 * process) sending the same 2026-07-28 request style to all three. Each target is its own process;
 * with `taskset` the servers share cpu0 and the load generator runs alone on cpu1. Prints a table
 * with ratios and writes `reports/bench-cart.json`. Method and caveats: bench/README.md.
 *
 * This file owns the run, read top to bottom: the targets, starting them, warm-up and interleaved
 * measured runs, the report. Its parts live in lib/: cart-options (flags, pinning),
 * cart-workloads (requests), cart-measure (one run and its checks), cart-report (summary, table).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinningPlan, readOptions, reexecPinned } from './lib/cart-options.mjs';
import { checkRun, measure } from './lib/cart-measure.mjs';
import { environment, printReport, ratios, summarise } from './lib/cart-report.mjs';
import { cartWorkload, echoWorkload, readCatalog } from './lib/cart-workloads.mjs';
import { waitForQuiet } from './lib/cpu.mjs';
import { fail, fmt, log } from './lib/output.mjs';
import { startServer } from './lib/server-process.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = fileURLToPath(import.meta.url);
const RESULTS_SCHEMA = 'sessionless-mcp/bench-cart-add-item@1';

const TARGETS = {
  cart: { label: 'cart_add_item (cart server, auth on)', script: 'servers/cart/dist/main.js' },
  'kit-echo': { label: 'echo served by the kit (auth on)', script: 'bench/targets/kit-echo.mjs' },
  echo: { label: 'SDK stock echo (per-request McpServer)', script: 'bench/targets/sdk-echo.mjs' },
  raw: { label: 'raw node:http JSON-RPC (ceiling)', script: 'bench/targets/raw-ceiling.mjs' },
};

async function startTarget(name, ctx) {
  const definition = TARGETS[name];
  const script = join(ROOT, definition.script);
  if (!existsSync(script)) {
    throw new Error(`${relative(ROOT, script)} is missing; build first (npm run bench builds the kit and the cart)`);
  }
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    ...(name === 'cart' || name === 'kit-echo' ? ctx.cartEnv : {}),
  };
  delete env.BENCH_PIN_PLAN;
  const server = await startServer({
    name,
    script,
    env,
    cwd: ROOT,
    nodeArgs: ctx.options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${ctx.options.cpuProf}`] : [],
    cpu: ctx.plan.pinned ? ctx.plan.serverCpu : undefined,
  });
  return { ...server, label: definition.label };
}

async function main() {
  const argv = process.argv.slice(2);
  const options = readOptions(argv, TARGETS);
  const plan = pinningPlan(options.pin);
  if (plan.pinned && !process.env.BENCH_PIN_PLAN) reexecPinned(plan, SCRIPT, argv);

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
    await Promise.all(Object.values(targets).map((target) => target.stop()));
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
          // Other work is bursty: wait (bounded) until the box has been quiet for two seconds in a row.
          await waitForQuiet({
            isQuiet: (busy) => busy <= options.maxOther,
            quietSeconds: 2,
            maxWaitMs: options.quick ? 0 : options.quietWait * 1000,
            onBusy: (busy) => log(`  waiting for other load to settle (box ${busy.toFixed(0)}% of a core busy)...`),
          });
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

await main();
