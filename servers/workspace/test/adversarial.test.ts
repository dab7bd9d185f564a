/**
 * The adversarial suite: every workspace tool called with arguments generated from its own input
 * schema, valid and hostile (huge, deep, odd Unicode, boundary numbers, wrong types, real and
 * unknown handles and paths). No answer may be a 5xx, an internal error, or a refusal without a
 * sentence, and no call may take more steps than a fixed bound (domain/work.ts counts them).
 * A fixed seed and a bounded number of calls here; ADVERSARIAL_RUNS=1000 (npm run adversarial) runs longer.
 */
import fc from 'fast-check';
import type { InProcessApp } from '@sessionless/kit/testing';
import {
  adversarialRuns,
  adversarialSeed,
  answerProblem,
  argumentsFor,
  toolRequest,
} from '@sessionless/kit/testing/adversarial';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PATCH_LIMITS } from '../src/domain/limits.js';
import { work } from '../src/domain/work.js';
import { workspaceTools, type WorkspaceDeps } from '../src/index.js';
import { caller, ok, workspaceInProcess } from './helpers.js';

const MAX_REPLY_BYTES = 2 * 1_048_576;
// The most one call may work: two passes over two of the largest files, and a diff's budgets.
const MAX_STEPS = 4 * 2 * 524_288 + PATCH_LIMITS.maxReadBytes + PATCH_LIMITS.maxDiffSteps + 100_000;
let fixture: InProcessApp<WorkspaceDeps>;
const unknown = 'ws_AAAAAAAAAAAAAAAAAAAAAA';
const handles: Record<string, string[]> = {
  path: ['a.txt', 'src/main.ts'],
  old_text: ['hello', 'a'],
  prefix: ['src/'],
};

beforeAll(async () => {
  fixture = await workspaceInProcess({ WORKSPACE_QUOTA: '1000' });
  const client = await fixture.connectModern();
  await client.listTools();
  const call = caller(client);
  const files = [
    { path: 'a.txt', content: 'hello\naaaa\n' },
    { path: 'src/main.ts', content: 'export {};\n' },
  ];
  const base = ok<{ workspace_id: string }>(await call('workspace_create', { files })).workspace_id;
  const fork = ok<{ workspace_id: string }>(await call('workspace_fork', { workspace_id: base })).workspace_id;
  ok(await call('workspace_write_file', { workspace_id: fork, path: 'a.txt', content: 'hello\nbbbb\n' }));
  for (const name of ['workspace_id', 'base_id', 'from_id', 'into_id']) handles[name] = [base, fork, unknown];
  await client.close();
});
afterAll(async () => {
  await fixture?.close();
});

describe.each(workspaceTools.map((tool) => [tool.name, tool] as const))('%s with generated arguments', (name, tool) => {
  it('never answers with a 5xx, an internal error or a refusal that is not a sentence, and works within a bound', async () => {
    await fc.assert(
      fc.asyncProperty(argumentsFor(tool.input, { handles }), async (args) => {
        const { headers, body } = toolRequest(name, tool.input, args);
        const before = work.steps;
        const response = await fixture.fetch(fixture.url, { method: 'POST', headers, body });
        const problem =
          answerProblem(response.status, await response.text(), MAX_REPLY_BYTES) ??
          (work.steps - before > MAX_STEPS ? `${work.steps - before} work steps` : undefined);
        if (problem) throw new Error(`${name} ${JSON.stringify(args).slice(0, 300)}: ${problem}`);
      }),
      { seed: adversarialSeed(), numRuns: adversarialRuns(30), endOnFailure: true },
    );
  });
});
