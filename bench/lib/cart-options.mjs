/**
 * The cart benchmark's command line: flags and their BENCH_* environment twins, with checked
 * values and quick-run defaults; and the CPU pinning plan (servers on one CPU, this process, the
 * load generator, on another), applied by re-running the driver under taskset.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { allowedCpus } from './cpu.mjs';
import { fail } from './output.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const USAGE = `Usage: node bench/cart-add-item.mjs [options]   (or: npm run bench -- [options])

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

/** `targets` is the driver's table of known targets, by name. */
export function readOptions(argv, targets) {
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
  const names = (values.targets ?? env.BENCH_TARGETS ?? 'cart,kit-echo,echo,raw').split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(name in targets))
      fail(`--targets: unknown target ${JSON.stringify(name)}; use cart, kit-echo, echo and/or raw`);
  }
  return {
    quick,
    duration: number('duration', 'BENCH_DURATION', quick ? 3 : 10, { min: 1 }),
    warmup: number('warmup', 'BENCH_WARMUP', quick ? 1 : 10, { min: 0 }),
    runs: number('runs', 'BENCH_RUNS', quick ? 1 : 2, { min: 1, integer: true }),
    connections: number('connections', 'BENCH_CONNECTIONS', 50, { min: 1, integer: true }),
    targets: [...new Set(names)],
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
export function pinningPlan(wanted) {
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

/** Re-runs `script` under `taskset` on the load CPU; the servers it starts are re-pinned to cpu0. */
export function reexecPinned(plan, script, argv) {
  const result = spawnSync(
    'taskset',
    ['-c', String(plan.loadCpu), process.execPath, ...process.execArgv, script, ...argv],
    { stdio: 'inherit', env: { ...process.env, BENCH_PIN_PLAN: `${plan.serverCpu},${plan.loadCpu}` } },
  );
  process.exit(result.status ?? 1);
}
