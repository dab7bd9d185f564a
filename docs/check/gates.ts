/**
 * Generated blocks for the two gates: `check` output as the terminal shows it, from reports of real
 * runs committed under docs/results/, and the comparison of two recorded scale runs as `compare
 * --markdown` writes it for a pull request (the thresholds the benchmark workflow uses).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compareReports,
  formatCheckText,
  formatCompareMarkdown,
  type CheckReport,
  type ScaleReport,
} from '@sessionless/harness';

const RESULTS = 'docs/results';
const readJson = <T>(root: string, file: string): T => JSON.parse(readFileSync(join(root, RESULTS, file), 'utf8')) as T;

/** The check's terminal output for a recorded report, with the command that made it. */
export function checkOutput(root: string, file: string): string {
  const report = readJson<CheckReport>(root, file);
  const command = `npx sessionless-harness check ${report.instances.map((i) => i.url).join(' ')}`;
  return ['```console', `$ ${command}`, formatCheckText(report), '```'].join('\n');
}

/** The workflow's gate on two recorded scale runs: its Markdown, one heading level down. */
export function scaleComparison(root: string): string {
  const side = (name: string) => ({ file: `${RESULTS}/${name}`, report: readJson<ScaleReport>(root, name) });
  const report = compareReports(side('compare-base.json'), side('compare-head.json'), {
    cpu: 15,
    throughput: 30,
    p99: 50,
  });
  const markdown = formatCompareMarkdown(report)
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => (line.startsWith('#') ? `#${line}` : line))
    .join('\n')
    .trim();
  // Both runs are of one commit: the widest change of each figure is the machine's noise.
  const widest = (figure: string) =>
    Math.max(
      ...report.scale.flatMap((row) =>
        row.figures
          .filter((f) => f.figure === figure && f.changePct !== null && !f.skipped)
          .map((f) => Math.abs(f.changePct!)),
      ),
    );
  const noise =
    `Both runs are of the same commit, so every difference above is the machine's noise: across the ` +
    `${report.scale.length} runs, server CPU per call over raw moved by up to ${widest('cpu').toFixed(0)}%, calls/s per ` +
    `instance by up to ${widest('throughput').toFixed(0)}% and p99 by up to ${widest('p99').toFixed(0)}%.`;
  return `${markdown}\n\n${noise}`;
}
