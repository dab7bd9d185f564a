/**
 * The blocks of docs/05 that show what one call costs: the per-core micro-benchmark's targets and
 * the lean path's goals, read from docs/results/bench.json, and where a cart add's CPU goes on
 * each serving path, read from docs/results/bench-profile.json, and each server's start-up, read from
 * docs/results/startup.json. Every number is computed here from
 * the report; the sentences say which way each comparison came out.
 */
import {
  formatStartupMarkdown,
  PROFILE_PARTS,
  type BenchReport,
  type BenchTargetReport,
  type StartupReport,
} from '@sessionless/harness';

const ms = (n: number | null | undefined) => (n === null || n === undefined ? '-' : n.toFixed(3));
const int = (n: number | null | undefined) =>
  n === null || n === undefined ? '-' : Math.round(n).toLocaleString('en-US');
const ratio = (n: number | null | undefined) => (n === null || n === undefined ? '-' : `${n.toFixed(2)}x`);
const pct = (n: number) => `${Math.round(n * 100)}%`;

function recordedOn(report: BenchReport): string {
  const m = report.machine;
  return (
    `Recorded ${report.startedAt.slice(0, 10)} on ${m.cpus} x ${m.cpuModel}, Node ${m.node}: ` +
    `${report.settings.repeats} windows of ${report.settings.seconds} s per target, medians ` +
    `(the command is under [Recording the results](#recording-the-results)).`
  );
}

function target(report: BenchReport, name: string): BenchTargetReport {
  const found = report.targets.find((t) => t.name === name);
  if (!found?.median.serverMsPerCall) throw new Error(`the recorded bench report has no measured ${name}`);
  return found;
}

/** The targets with what a call costs, and the lean path's goals, each computed and judged. */
export function benchSummary(report: BenchReport): string {
  const rows = report.targets.map(
    (t) =>
      `| \`${t.name}\` | ${t.label} | ${ms(t.median.serverMsPerCall)} | ${int(t.median.callsPerCorePerSecond)} | ` +
      `${ratio(t.vsRaw.cpuPerCall)} | ${t.vsSdkPath ? ratio(t.vsSdkPath.cpuPerCall) : '-'} |`,
  );
  const raw = target(report, 'raw');
  const add = target(report, 'cart_add_item');
  const session = target(report, 'session-cart');
  const perCoreOfRaw = (name: string) =>
    target(report, name).median.callsPerCorePerSecond! / raw.median.callsPerCorePerSecond!;
  const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
  const addVsSdk = add.vsSdkPath?.cpuPerCall;
  const goals = [
    `- \`cart_add_item\` costs ${ratio(addVsSdk)} the CPU of the same server with \`LEAN_PATH=off\` ` +
      `(goal: at most a third; ${verdict(addVsSdk !== null && addVsSdk !== undefined && addVsSdk <= 1 / 3)}), and ` +
      `${ms(add.median.serverMsPerCall)} ms against ${ms(session.median.serverMsPerCall)} ms for the ` +
      `session-scoped cart's add, which keeps its cart in memory (goal: below it; ` +
      `${verdict(add.median.serverMsPerCall! < session.median.serverMsPerCall!)}). One core serves ` +
      `${pct(perCoreOfRaw('cart_add_item'))} of the raw ceiling's calls (stretch goal: 20%; ` +
      `${verdict(perCoreOfRaw('cart_add_item') >= 0.2)}).`,
    ...['tools/list', 'server/discover'].map(
      (name) =>
        `- \`${name}\`: one core serves ${pct(perCoreOfRaw(name))} of the raw ceiling's calls ` +
        `(goal: 50% or more; ${verdict(perCoreOfRaw(name) >= 0.5)}).`,
    ),
    ...['workspace_read_file', 'browser_list'].map(
      (name) => `- \`${name}\` costs ${ratio(target(report, name).vsSdkPath?.cpuPerCall)} the CPU of its SDK path.`,
    ),
  ];
  return [
    '| Target | What each call is | server CPU ms per call | calls/s per core | ÷ raw | ÷ SDK path |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    ...goals,
    '',
    recordedOn(report),
    ...report.notes.map((note) => `\n> ${note}`),
  ].join('\n');
}

/** Where a cart add's CPU goes, through the SDK's handler and on the lean path, part by part. */
export function benchProfile(report: BenchReport): string {
  const pair = ['cart_add_item@sdk', 'cart_add_item'].map((name) => {
    const split = report.profile?.targets[name];
    if (!split) throw new Error(`the recorded profile has no ${name}`);
    return { split, perCall: target(report, name).median.serverMsPerCall! };
  });
  const cell = ({ split, perCall }: (typeof pair)[number], part: (typeof PROFILE_PARTS)[number]) =>
    `${split.shares[part].toFixed(1)}% | ${ms((split.shares[part] / 100) * perCall)}`;
  const rows = PROFILE_PARTS.map((part) => `| ${part} | ${cell(pair[0]!, part)} | ${cell(pair[1]!, part)} |`);
  return [
    '| Part of the call | SDK path: % of CPU | ms per call | lean path: % of CPU | ms per call |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    `| **all** | 100% | ${ms(pair[0]!.perCall)} | 100% | ${ms(pair[1]!.perCall)} |`,
    '',
    `${recordedOn(report)} Profiled runs start each server from its compiled modules rather than its bundle (a profile tells the SDK, the kit and the tool apart by file), and profiling itself costs a little CPU, so its totals differ a little from the plain run's.`,
  ].join('\n');
}

/** Each server's start to its first answered tools/list, bundle and modules, beside node -e 0. */
export function startupTable(report: StartupReport): string {
  const lines = formatStartupMarkdown(report).trim().split('\n');
  const table = lines.filter((line) => line.startsWith('|'));
  const slowest = Math.max(
    ...report.rows
      .filter((row) => !row.name.includes('(') && row.name !== 'node -e 0')
      .map((row) => row.medianMs ?? Infinity),
  );
  return [
    ...table,
    '',
    `The slowest server, bundled, answers its first \`tools/list\` ${slowest} ms after it is started ` +
      `(goal: under 300 ms; ${slowest < 300 ? 'met' : '**not met**'}). ${lines.find((line) => line.startsWith('Start-up'))}`,
  ].join('\n');
}
