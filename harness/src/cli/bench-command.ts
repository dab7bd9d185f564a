/**
 * `bench`: the per-core micro-benchmark (each target on its own core, the scale engine's load
 * generator on another), with `--quick` for a smoke run, and its reports: the table, JSON and
 * Markdown. The exit status is 0 when every target's windows passed, 1 otherwise.
 */
import { runBench } from '../scale/bench/bench.js';
import { BENCH_TARGET_NAMES } from '../scale/bench/targets.js';
import type { BenchReport } from '../scale/report/bench-schema.js';
import { formatBenchMarkdown, formatBenchText } from '../scale/report/bench-text.js';
import { UsageError } from '../shared/errors.js';
import type { CliOptions } from './args.js';
import type { CommandIo } from './io.js';

/** A smoke run: one 3 s window per target after a 1 s warm-up. */
const QUICK = { seconds: 3, warmupSeconds: 1, repeats: 1 };

export async function benchCommand(options: CliOptions, argv: string[], io: CommandIo): Promise<number> {
  if (options.target !== undefined) {
    throw new UsageError(
      `bench takes no scenario ("${options.target}"): choose targets with --target, from ${BENCH_TARGET_NAMES.join(', ')}`,
    );
  }
  const { scale, bench } = options;
  const report = await runBench({
    command: `sessionless-harness ${argv.join(' ')}`,
    targets: bench.targets,
    seconds: scale.seconds ?? (scale.quick ? QUICK.seconds : undefined),
    warmupSeconds: scale.warmupSeconds ?? (scale.quick ? QUICK.warmupSeconds : undefined),
    repeats: bench.repeats ?? (scale.quick ? QUICK.repeats : undefined),
    agents: scale.agents,
    pin: bench.pin,
    profileDir: bench.profile,
    log: options.quiet ? undefined : io.log,
    registerStop: io.registerStop,
  });
  writeBenchReports(report, options, io);
  return report.ok ? 0 : 1;
}

export function writeBenchReports(report: BenchReport, options: CliOptions, io: CommandIo): void {
  const table = formatBenchText(report);
  if (options.json === '-' || options.markdown === '-') io.log(`\n${table}`);
  else io.print(`\n${table}`);
  if (options.json !== undefined) io.write(options.json, `${JSON.stringify(report, null, 2)}\n`, 'JSON');
  if (options.markdown !== undefined) io.write(options.markdown, formatBenchMarkdown(report), 'Markdown');
}
