/**
 * The re-fetch chart of the scale page draws every client policy of the sweep it is given: with the
 * recorded three-policy sweep, three lines, the middle policy's at (S+1) x M like the session-era's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report, ScaleReport } from '../src/index.js';
import { formatScaleHtml } from '../src/scale/report/html/page.js';
import { REPO_ROOT } from './helpers.js';

const read = <T>(file: string) => JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as T;

describe('the re-fetch chart', () => {
  it('draws one line per policy of the recorded sweep, sessionless-own-cache included', () => {
    const sweep = read<Report>('docs/results/sweep.json');
    const subagents = [...new Set(sweep.runs.map((r) => r.subagents))];
    const lists = (policy: string) =>
      subagents.map(
        (n) => sweep.runs.find((r) => r.policy === policy && r.subagents === n)!.totals['tools/list']!.requests,
      );
    const report: ScaleReport = {
      ...read<ScaleReport>('harness/test/fixtures/scale-report.json'),
      sweep: {
        subagents,
        source: 'docs/results/sweep.json',
        series: sweep.policies.map((policy) => ({ policy, toolsList: lists(policy), initialize: [], discover: [] })),
      },
    };
    const chart = /<figure[^>]*data-chart="refetches"[\s\S]*?<\/figure>/.exec(formatScaleHtml(report))![0];
    expect(sweep.policies).toEqual(['session-era', 'sessionless-own-cache', 'sessionless']);
    for (const policy of sweep.policies) expect(chart).toContain(`${policy}, 32 subagents: `);
    expect(lists('sessionless-own-cache')).toEqual(subagents.map((s) => (s + 1) * 3));
    expect(chart).toContain('sessionless-own-cache, 32 subagents: 99 tools/list requests');
  });
});
