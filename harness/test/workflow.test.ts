/**
 * The benchmark workflow others copy: it parses as YAML, uses only standard actions (GitHub's own,
 * plus k6's official installer) and the preinstalled GitHub CLI, every harness command line in it
 * is one the CLI accepts, and pull requests are gated by `compare` against the base branch's reports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCli } from '../src/cli/args.js';
import { REPO_ROOT } from './helpers.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/benchmark.yml'), 'utf8')) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const scripts = steps.flatMap((step) => (step.run ? [step.run.replace(/\\\n\s*/g, ' ')] : []));

/** Every `node harness/dist/cli.js ...` invocation in the run scripts, as argv. */
const harnessCalls = scripts.flatMap((script) =>
  [...script.matchAll(/node harness\/dist\/cli\.js ([^\n|&;]+)/g)].map((m) => m[1]!.trim().split(/\s+/)),
);

describe('.github/workflows/benchmark.yml', () => {
  it('uses only standard actions and the harness through its own commands', () => {
    const actions = steps.flatMap((step) => (step.uses ? [step.uses.split('@')[0]] : []));
    expect(actions.filter((a) => !/^actions\//.test(a!) && a !== 'grafana/setup-k6-action')).toEqual([]);
    expect(harnessCalls.length).toBeGreaterThanOrEqual(4);
    for (const argv of harnessCalls) {
      const options = parseCli(argv);
      expect(['bench', 'k6', 'compare'], argv.join(' ')).toContain(options.command);
    }
  });

  it('gates a pull request with compare against the base branch last successful run', () => {
    expect(workflow.on).toHaveProperty('pull_request');
    expect(workflow.on).toHaveProperty('push.branches', ['main']);
    expect(workflow.permissions).toMatchObject({ contents: 'read', actions: 'read' });
    const download = steps.find((s) => s.run?.includes('gh run download'))!;
    expect(download.run).toMatch(/gh run list .*--workflow benchmark\.yml --branch "\$BASE_BRANCH"/s);
    expect(download.run).toMatch(/--status success --limit 1/);
    expect(download.env).toMatchObject({ GH_TOKEN: '${{ github.token }}', BASE_BRANCH: '${{ github.base_ref }}' });
    const compares = harnessCalls.filter((argv) => argv[0] === 'compare').map((argv) => parseCli(argv));
    expect(compares.map((c) => c.positionals)).toEqual([
      ['base-reports/scale.json', 'reports/scale.json'],
      ['base-reports/sweep.json', 'reports/sweep.json'],
    ]);
    const gate = steps.find((s) => s.run?.includes(' compare '))!;
    expect(gate.if).toMatch(/github\.event_name == 'pull_request'/);
    // The comparison heads the job summary, and is kept with the reports.
    const summary = steps.find((s) => s.name === 'Job summary')!;
    expect(summary.run).toMatch(/compare-scale compare-sweep scale/);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(JSON.stringify(upload)).toMatch(/reports\/compare-scale\.md/);
  });
});
