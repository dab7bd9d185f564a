/**
 * A check report for people: the instances, who called and what was written, a table of every
 * check with what it found, then each failed or warned check with its reason and its fix, and the
 * verdict. Text for the terminal, Markdown for a CI summary; both from the JSON alone.
 */
import type { CheckReport, CheckResult, CheckStatus } from './report.js';

const WORD: Record<CheckStatus, string> = { pass: 'pass', warn: 'WARN', fail: 'FAIL', skip: 'skip' };
const GROUPS: Record<CheckResult['group'], string> = { lists: 'Lists', sessions: 'Sessions', handles: 'Handles' };
const WIDTH = 76;

export function formatCheckText(report: CheckReport): string {
  const nameWidth = Math.max(...report.checks.map((c) => c.name.length));
  const lines = [...header(report), ''];
  let section = '';
  for (const c of report.checks) {
    const title = sectionOf(c);
    if (title !== section) lines.push(`${title}`);
    section = title;
    const [first, ...rest] = wrap(c.detail, WIDTH);
    lines.push(`  ${WORD[c.status]}  ${c.name.padEnd(nameWidth)}  ${first}`);
    for (const more of rest) lines.push(`${' '.repeat(nameWidth + 10)}${more}`);
  }
  const attention = report.checks.filter((c) => c.status === 'fail' || c.status === 'warn');
  if (attention.length) {
    lines.push('', 'What to fix:');
    for (const c of attention) {
      lines.push(`  ${WORD[c.status]} ${c.subject ? `${c.subject}: ` : ''}${c.name}`);
      lines.push(...wrap(`why: ${c.detail}`, WIDTH + 20).map((l) => `       ${l}`));
      if (c.fix) lines.push(...wrap(`fix: ${c.fix}`, WIDTH + 20).map((l) => `       ${l}`));
    }
  }
  lines.push('', verdict(report));
  return lines.join('\n');
}

export function formatCheckMarkdown(report: CheckReport): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const lines = [
    `## sessionless-harness check`,
    '',
    `**${verdict(report)}**`,
    '',
    ...header(report).map((l) => `${l}  `),
    '',
  ];
  lines.push('| result | check | found |', '| --- | --- | --- |');
  let section = '';
  for (const c of report.checks) {
    const title = sectionOf(c);
    if (title !== section) lines.push(`| | **${cell(title)}** | |`);
    section = title;
    lines.push(`| ${WORD[c.status]} | ${cell(c.name)} | ${cell(c.detail)} |`);
  }
  const attention = report.checks.filter((c) => c.status === 'fail' || c.status === 'warn');
  if (attention.length) {
    lines.push('', '### What to fix', '');
    for (const c of attention) {
      lines.push(
        `- **${WORD[c.status]}** ${c.subject ? `\`${c.subject}\`: ` : ''}${c.name}: ${c.detail} Fix: ${c.fix ?? ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function header(report: CheckReport): string[] {
  const servers = [...new Set(report.instances.map((i) => i.server ?? 'an unnamed server'))].join(', ');
  const n = report.instances.length;
  const eras = (i: CheckReport['instances'][number]) =>
    [i.modern ? '2026-07-28' : '', i.legacy ? '2025-11-25' : ''].filter(Boolean).join(' and ');
  const calls = Object.entries(report.writes.calls).map(([tool, count]) => `${tool} x${count}`);
  const policy = {
    'read-only': '--read-only',
    'handle-probes': 'default: handle probes only',
    'allow-writes': '--allow-writes',
  }[report.writes.policy];
  const left = report.writes.leftBehind.length
    ? `left to expire: ${report.writes.leftBehind.join(', ')}`
    : 'nothing left behind';
  return [
    `Checked ${n} instance${n === 1 ? '' : 's'} of ${servers}, speaking ${report.era === 'modern' ? '2026-07-28' : '2025-11-25'}:`,
    ...report.instances.map((i, k) => `  ${k + 1}  ${i.url}  (${eras(i) || 'neither era'})`),
    `Principals: A ${{ token: 'with --token', headers: 'with --header only', anonymous: 'anonymous (no token)' }[report.principals.a]}; ` +
      `B ${report.principals.b ? 'with --token-b' : 'none'}.`,
    `Writes (${policy}): ${calls.length ? `${calls.join(', ')}; ${left}` : 'none'}.`,
    `Handles: ${
      report.handles
        .map(
          (h) =>
            `${h.argument} (${h.create}${h.read ? `, read with ${h.read}` : ''}${h.destroy ? `, ended with ${h.destroy}` : ''}; from the ${h.source})`,
        )
        .join('; ') || 'none found'
    }.`,
  ];
}

function verdict(report: CheckReport): string {
  const { pass, warn, fail, skip } = report.counts;
  const total = pass + warn + fail + skip;
  const notRun = skip ? `; ${skip} not applicable or not run` : '';
  if (fail) return `FAILED: ${fail} of ${total} checks failed (${pass} passed, ${warn} warned${notRun}).`;
  return `PASSED: every check that ran passed (${pass} passed${warn ? `, ${warn} with a warning` : ''}${notRun}).`;
}

const sectionOf = (c: CheckResult) => (c.subject ? `${GROUPS[c.group]}: ${c.subject}` : GROUPS[c.group]);

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}
