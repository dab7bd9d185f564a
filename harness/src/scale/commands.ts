/**
 * The `scale` and `k6` commands: options turned into a run, reports written where asked, and an
 * exit status (0 passed, 1 a run failed, 2 bad input). `scale` can fold a saved `sweep` report
 * into its HTML (the re-fetch chart); `k6` starts the servers and hands their URLs and a token to
 * a k6 script, after checking that k6 is installed at all.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@sessionless/kit';
import type { CliOptions } from '../args.js';
import { UsageError } from '../errors.js';
import { startFleet } from '../fleet.js';
import { describeK6Exit, failedThresholds, findK6, K6_INSTALL_HINT, k6ScriptPath, runK6 } from '../k6.js';
import { REPORT_SCHEMA, type Report } from '../report.js';
import { loadScenario } from '../scenario-file.js';
import { formatScaleMarkdown, formatScaleText } from './format.js';
import { formatScaleHtml } from './html.js';
import { SCALE_SCHEMA, type ScaleReport, type SweepSeries } from './report.js';
import { runScale } from './scale.js';

export interface CommandIo {
  print(text: string): void;
  log(line: string): void;
  /** Writes a report to a file, or to stdout for "-". */
  write(target: string, text: string, what: string): void;
  registerStop(stop: () => Promise<void>): void;
}

/** Short enough for a test or a CI smoke step: every run, 2 s windows, 1 s failover. */
const QUICK = { seconds: 2, warmupSeconds: 1, killOneAt: 1 };

export async function scaleCommand(options: CliOptions, argv: string[], io: CommandIo): Promise<number> {
  const flags = options.scale;
  const sweep = flags.sweep ? readSweep(flags.sweep) : null;
  const report = await runScale({
    scenario: loadScenario(options.target ?? 'shopping-team'),
    command: `sessionless-harness ${argv.join(' ')}`,
    instances: flags.instances,
    routings: flags.routings,
    seconds: flags.seconds ?? (flags.quick ? QUICK.seconds : undefined),
    warmupSeconds: flags.warmupSeconds ?? (flags.quick ? QUICK.warmupSeconds : undefined),
    killOneAt: flags.killOneAt ?? (flags.quick ? QUICK.killOneAt : null),
    load: flags.rate ? { mode: 'open', rate: flags.rate } : { mode: 'closed' },
    agents: flags.agents ?? (flags.quick ? 4 : undefined),
    workloads: flags.workloads,
    baselines: !flags.skipBaselines,
    storeCeilingSeconds: flags.quick ? 1 : 3,
    sweep,
    log: options.quiet ? undefined : io.log,
    registerStop: io.registerStop,
  });
  writeScaleReports(report, options, io);
  return report.ok ? 0 : 1;
}

export function writeScaleReports(report: ScaleReport, options: CliOptions, io: CommandIo): void {
  const toStdout = options.json === '-' || options.markdown === '-' || options.scale.html === '-';
  const table = formatScaleText(report);
  if (toStdout) io.log(`\n${table}`);
  else io.print(`\n${table}`);
  if (options.json !== undefined) io.write(options.json, `${JSON.stringify(report, null, 2)}\n`, 'JSON');
  if (options.markdown !== undefined) io.write(options.markdown, formatScaleMarkdown(report), 'Markdown');
  if (options.scale.html !== undefined) io.write(options.scale.html, formatScaleHtml(report), 'HTML');
}

/** A saved scale report, or a harness sweep report turned into the re-fetch series. */
export function readReportFile(file: string): ScaleReport | Report {
  let data: { schema?: string };
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as { schema?: string };
  } catch (error) {
    throw new UsageError(`cannot read the report ${file}: ${(error as Error).message}`);
  }
  if (data.schema === SCALE_SCHEMA) return data as ScaleReport;
  if (data.schema === REPORT_SCHEMA) return data as Report;
  throw new UsageError(`${file} is not a harness report: expected "schema": "${REPORT_SCHEMA}" or "${SCALE_SCHEMA}"`);
}

function readSweep(file: string): SweepSeries {
  const report = readReportFile(file);
  if (report.schema !== REPORT_SCHEMA)
    throw new UsageError(`--sweep expects a sweep report (${REPORT_SCHEMA}), got ${file}`);
  const subagents = [...new Set(report.runs.map((r) => r.subagents))].sort((a, b) => a - b);
  const series = report.policies.map((policy) => {
    const at = (n: number, method: string) =>
      report.runs.find((r) => r.policy === policy && r.subagents === n)?.totals[method]?.requests ?? 0;
    return {
      policy,
      toolsList: subagents.map((n) => at(n, 'tools/list')),
      initialize: subagents.map((n) => at(n, 'initialize')),
      discover: subagents.map((n) => at(n, 'server/discover')),
    };
  });
  return { subagents, series, source: file };
}

export async function k6Command(options: CliOptions, io: CommandIo): Promise<number> {
  const k6 = findK6();
  if (!k6) throw new UsageError(K6_INSTALL_HINT);
  const script = k6ScriptPath(options.target ?? 'cart');
  const scenario = loadScenario('shopping-team').scenario;
  const instances = options.scale.instances?.[0] ?? (script.endsWith('scale-out.ts') ? 2 : 1);
  const secret = randomBytes(32).toString('base64url');
  const fleet = await startFleet({
    servers: scenario.servers,
    auth: { mode: 'jwt', secret },
    instances,
    log: options.quiet ? undefined : io.log,
    register: io.registerStop,
  });
  const dir = mkdtempSync(join(tmpdir(), 'sessionless-k6-'));
  try {
    const list = (name: 'cart' | 'workspace' | 'browser') => fleet.replicas[name].map((e) => e.url).join(',');
    const result = await runK6({
      k6,
      script,
      summaryFile: join(dir, 'summary.json'),
      env: {
        CART_URL: list('cart'),
        WORKSPACE_URL: list('workspace'),
        BROWSER_URL: list('browser'),
        SITE_ORIGIN: fleet.siteOrigin ?? '',
        MCP_TOKEN: await signDevToken(secret, 'k6', { expiresIn: '12h' }),
      },
      onOutput: (text) => io.print(text.trimEnd()),
    });
    const failed = result.summary ? failedThresholds(result.summary) : [];
    io.log(`k6: ${describeK6Exit(result.exitCode)}${failed.length ? `; thresholds failed: ${failed.join(', ')}` : ''}`);
    return result.exitCode === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await fleet.stop();
  }
}
