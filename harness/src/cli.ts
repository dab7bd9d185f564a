#!/usr/bin/env node
/**
 * `sessionless-harness`: the only file that reads argv, writes to stdout and exits. Exit status:
 * 0 all checks passed; 1 a check failed (client and server counts disagree, a scale run or a
 * bench target failed); 2 bad input or a server that could not start; 130/143 interrupted.
 * Whatever the outcome, what it started is stopped first. Each command lives in src/cli/ and is
 * loaded when it runs: loading all of them took 0.6 s of CPU before any command started.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseCli, type CliOptions } from './cli/args.js';
import type { CommandIo } from './cli/io.js';
import { UsageError } from './shared/errors.js';

const USAGE = `Usage: sessionless-harness <command> [options]

Commands:
  run [scenario]       Run a scenario (default shopping-team) once per client policy, side by side
  sweep [scenario]     The same for each subagent count in the scenario's "sweep" (1,2,4,8,16,32)
  scale [scenario]     Scale-out benchmark: K instances per server behind each routing, baselines, failover
  bench                Per-core micro-benchmark: each target on its own core, CPU per call, ratios to raw
  startup              Each server's start to its first answered tools/list, next to a bare node -e 0
  k6 [script]          Start the servers and run a k6 script from scenarios/k6 (cart, scale-out) against them
  serve                Start every server and the demo storefront on fixed loopback ports until Ctrl-C
  report FILE          Print a saved JSON report (run, sweep, scale, bench, check, compare) again: table, --markdown, --html
  compare BASE HEAD    Compare two saved scale reports (or two sweep reports) as a CI gate; exit 1 on a regression
  check URL [URL..]    Check any MCP server's instances: safe behind a load balancer with no affinity? (lists, sessions, handles)
  list                 List the scenarios in scenarios/
  help                 Show this text

Options for run and sweep:
  --subagents N[,N..]  Subagent counts (default: the scenario's "subagents", or "sweep" for sweep)
  --policy P[,P..]     session-era, sessionless-own-cache, sessionless (default: all three)
  --json FILE          Write the JSON report (schema sessionless-harness/report@1) to FILE, "-" = stdout
  --markdown FILE      Write the Markdown report to FILE, "-" = stdout
  --concurrency N      Most subagents working at once (default: the scenario's)
  --timeout SECONDS    Time limit for one policy run (default: the scenario's)
  --url NAME=URL       Use a running server (cart, workspace, browser) instead of starting one
  --site ORIGIN        Use a running demo storefront
  --jwt-secret SECRET  The JWT secret of servers given with --url (signs two users' tokens)
  --anonymous          Start the servers without auth (skips the second-user check)
  --keep-data          Keep the servers' data directory
  --quiet              No progress lines on stderr
  --store S            sqlite (default) or postgres: a PostgreSQL started for the run (needs its server binaries)
  --database-url URL   Use this PostgreSQL instead of starting one (implies --store postgres)

Options for scale (defaults from the scenario's "scale" section):
  --instances K[,K..]  Instances of each server to run with (default 1,2)
  --routing R[,R..]    round-robin, least-connections, affinity, and each through nginx: nginx-round-robin,
                       nginx-least-connections, nginx-affinity (nginx runs need nginx installed)
  --seconds S          Measured window per run (default 5)
  --warmup S           Unrecorded load before each window (default 1.5)
  --kill-one-at S      Add failover runs: SIGKILL one instance (with --hosts, one host's) S seconds into the window
  --store S[,S]        sqlite (default), postgres, or sqlite,postgres: the same runs on each, side by side
  --database-url URL   Use this PostgreSQL instead of starting one for the run (implies --store postgres)
  --hosts N            Spread the PostgreSQL instances over N simulated hosts (network namespaces; root, iproute2)
  --restart-database-at S   Add runs that restart the run's PostgreSQL S seconds into the window
  --workload W[,W..]   Only these workloads of the scenario (default all)
  --agents N           Virtual agents per run, instead of each workload's own
  --rate R             Open loop: start R calls per second (latency counted from when each was due)
  --skip-baselines     No raw, echo or session-cart runs
  --quick              Smoke run: 2 s windows, 1 s warm-up, 4 agents, failover (and a PostgreSQL restart) at 1 s
  --sweep FILE         A saved sweep report (--json of "sweep") for the re-fetch chart
  --json FILE, --markdown FILE, --html FILE   Write the reports (schema sessionless-harness/scale@1)

Options for bench (each target one process pinned to one CPU, the load generator on another):
  --target T[,T..]     raw, echo, kit-echo, cart_add_item, cart_add_item@sdk, session-cart, tools/list,
                       tools/list@sdk, server/discover, server/discover@sdk, workspace_read_file,
                       workspace_read_file@sdk, browser_list, browser_list@sdk (default all, in that
                       order; @sdk: the same with LEAN_PATH=off)
  --seconds S          Measured window per target and round (default 10)
  --warmup S           Warm-up per target before the first round, checked but not counted (default 10)
  --repeats N          Rounds of windows; the order reverses every other round (default 2)
  --agents N           Agents (concurrent calls, closed loop) per target (default 50)
  --no-pin             Do not pin with taskset (the report says when nothing was pinned)
  --profile DIR        Run each target with --cpu-prof into DIR, and report where its CPU went (HTTP, web streams,
                       SDK dispatch, validation, auth, store, metrics, ...)
  --quick              Smoke run: 1 s warm-up, one 3 s window per target
  --json FILE, --markdown FILE   Write the reports (schema sessionless-harness/bench@1)

Options for startup:
  --repeats N          Recorded starts per server, after one that creates its store (default 5; --quick 1)
  --json FILE, --markdown FILE   Write the reports (schema sessionless-harness/startup@1)

Options for compare (BASE.json HEAD.json, two scale reports or two run/sweep reports):
  --threshold F=P[,..] How far a figure may get worse, in %: cpu (server CPU per call over raw), throughput
                       (calls/s per instance), p99, errors (default cpu=15,throughput=15,p99=15,errors=0);
                       an invariant or a re-fetch count may not change at all
  --json FILE, --markdown FILE   Write the comparison (schema sessionless-harness/compare@1; Markdown for a PR)

Options for check (URL [URL..]: one or more instances of the same server, any MCP server):
  --token TOKEN        Bearer token of principal A (default: no token)
  --token-b TOKEN      Bearer token of a second principal B: lists and handle errors compared with A's
  --header "N: V"      An extra header on every request (repeatable), e.g. an API key
  --read-only          Call only tools annotated readOnlyHint (the handle checks are then not run)
  --allow-writes       Also create handles no tool destroys (left to expire), and use a handle through a tool
                       annotated idempotent when no read-only tool takes it (default: create only what a
                       destroy tool removes, and destroy it)
  --handles FILE       Declare handles the tool list does not show (argument, create, read, destroy tools)
  --timeout SECONDS    Time limit for one request (default 30)
  --quiet              No progress lines on stderr
  --json FILE, --markdown FILE   Write the report (schema sessionless-harness/check@1)

Options for serve (and run):
  --cart-port P        default 3101 for serve, a free port for run (likewise below)
  --workspace-port P   default 3102
  --browser-port P     default 3103
  --site-port P        default 4173
  --subject NAME       Subject of the printed dev token (default dev)
  --jwt-secret SECRET  Use this secret instead of a random one
  --anonymous          No auth (loopback only)
  --data-dir DIR       Keep server state in DIR instead of a fresh temporary directory

Exit status: 0 passed; 1 a check failed, counts disagree, a scale run or bench target failed, or compare
found a regression; 2 bad input or a server did not start (or k6 is not installed).`;

// Everything started registers its stop here (a scale run starts fleets, baselines and nginx one
// after another); stops are idempotent, so stopping all of them again is harmless.
const stops: Array<() => Promise<void>> = [];
const stopAll = async () => void (await Promise.allSettled(stops.map((stop) => stop())));
let interrupted = false;
let onSignal: (() => void) | undefined;
// Declared before the top-level await below runs the command.
const io: CommandIo = {
  print,
  log: (line) => process.stderr.write(`${line}\n`),
  write,
  registerStop: (stop) => void stops.push(stop),
  interrupted: () => interrupted,
  onSignal: (handler) => void (onSignal = handler),
};

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    if (onSignal) return onSignal();
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\ninterrupted: stopping the servers\n`);
    void stopAll().finally(() => process.exit(code));
  });
}

// A reader that goes away (`| head`) makes the next write fail with EPIPE, and an error nobody
// handles ends the process at once: either way, stop what was started first. An EPIPE leaves
// quietly (there is no one to tell), as a pipeline expects.
const leave = (code: number) => {
  if (interrupted) return;
  interrupted = true;
  void stopAll().finally(() => process.exit(code));
};
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    leave(141);
  });
}
process.on('uncaughtException', (error) => {
  if ((error as NodeJS.ErrnoException).code !== 'EPIPE') process.stderr.write(`${error.stack ?? error}\n`);
  leave(1);
});

try {
  process.exitCode = await main(parseCli(process.argv.slice(2)));
} catch (error) {
  await stopAll();
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`sessionless-harness: ${error.message}\n`);
  process.exitCode = 2;
}

async function main(options: CliOptions): Promise<number> {
  if (options.version || options.help || options.command === 'help') {
    print(options.version ? '0.1.0' : USAGE);
    return 0;
  }
  switch (options.command) {
    case 'run':
    case 'sweep':
      return (await import('./cli/refetch-commands.js')).runCommand(options.command, options, io);
    case 'scale':
      return (await import('./cli/scale-command.js')).scaleCommand(options, process.argv.slice(2), io);
    case 'bench':
      return (await import('./cli/bench-command.js')).benchCommand(options, process.argv.slice(2), io);
    case 'startup':
      return (await import('./cli/startup-command.js')).startupCommand(options, process.argv.slice(2), io);
    case 'k6':
      return (await import('./cli/k6-command.js')).k6Command(options, io);
    case 'serve':
      return (await import('./cli/serve-command.js')).serveCommand(options, io);
    case 'report':
      return (await import('./cli/report-command.js')).reportCommand(options, io);
    case 'compare':
      return (await import('./cli/compare-command.js')).compareCommand(options, io);
    case 'check':
      return (await import('./cli/check-command.js')).checkCommand(options, io);
    case 'list': {
      const { loadScenario, scenarioNames } = await import('./scenarios/scenario-file.js');
      for (const name of scenarioNames()) print(`${name.padEnd(20)} ${loadScenario(name).scenario.title}`);
      return 0;
    }
    case undefined:
      process.stderr.write(`${USAGE}\n`);
      return 2;
    default:
      throw new UsageError(
        `unknown command "${options.command}": expected run, sweep, scale, bench, startup, k6, serve, report, compare, check, list or help`,
      );
  }
}

function write(target: string, text: string, what: string): void {
  if (target === '-') {
    process.stdout.write(text);
    return;
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  process.stderr.write(`wrote the ${what} report to ${target}\n`);
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
