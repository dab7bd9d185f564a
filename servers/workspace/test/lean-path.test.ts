/**
 * The kit's lean path answers the workspace's requests exactly as the SDK's handler does: every
 * workspace tool (successes and refusals), the hand-picked variants around workspace_read_file,
 * and generated requests, each sent to a copy with LEAN_PATH=on and one with LEAN_PATH=off.
 */
import { Differential, leanCorpus, type ToolCall } from '@sessionless/kit/testing/lean-path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceTools } from '../src/index.js';
import { workspaceInProcess } from './helpers.js';

/** Workspace ids: random in each copy, compared by the order they were minted. */
const IDS = /ws_[A-Za-z0-9_-]{16,}/g;
const corpus = leanCorpus(workspaceTools);
// A fixed corpus in CI; LEAN_DIFF_SEED and LEAN_DIFF_RUNS explore others.
const SEED = Number(process.env.LEAN_DIFF_SEED ?? 20261207);
const RUNS = Number(process.env.LEAN_DIFF_RUNS ?? 200);

describe('lean path: the workspace answers as the SDK does', () => {
  let pair: Differential;
  beforeAll(async () => {
    pair = await Differential.start({ open: (env) => workspaceInProcess(env), ids: IDS });
  });
  afterAll(() => pair?.close());

  const base = '<id#0>';
  const fork = '<id#1>';
  const scratch = '<id#2>';
  const files = [
    { path: 'README.md', content: '# Notes\n\nfirst line\n' },
    { path: 'src/main.ts', content: 'export const answer = 41;\n' },
    { path: 'bin/logo.png', content: 'iVBORw0KGgo=', encoding: 'base64' },
  ];
  const script: Array<[ToolCall, 'success' | 'refusal']> = [
    [{ name: 'workspace_create', arguments: { name: 'base', files } }, 'success'],
    [{ name: 'workspace_fork', arguments: { workspace_id: base, name: 'fork' } }, 'success'],
    [{ name: 'workspace_create', arguments: {} }, 'success'],
    [{ name: 'workspace_read_file', arguments: { workspace_id: base, path: 'src/main.ts' } }, 'success'],
    [{ name: 'workspace_read_file', arguments: { workspace_id: base, path: 'bin/logo.png' } }, 'success'],
    [{ name: 'workspace_read_file', arguments: { workspace_id: base, path: 'missing.txt' } }, 'refusal'],
    [{ name: 'workspace_read_file', arguments: { workspace_id: base, path: '../etc/passwd' } }, 'refusal'],
    [
      { name: 'workspace_write_file', arguments: { workspace_id: fork, path: 'src/new.ts', content: 'new\n' } },
      'success',
    ],
    [
      {
        name: 'workspace_write_file',
        arguments: { workspace_id: fork, path: 'src/main.ts', content: 'x\n', if_match: 'stale-etag' },
      },
      'refusal',
    ],
    [
      {
        name: 'workspace_edit_file',
        arguments: { workspace_id: fork, path: 'src/main.ts', old_text: '41', new_text: '42' },
      },
      'success',
    ],
    [
      {
        name: 'workspace_edit_file',
        arguments: { workspace_id: fork, path: 'src/main.ts', old_text: 'not there', new_text: '' },
      },
      'refusal',
    ],
    [{ name: 'workspace_delete_file', arguments: { workspace_id: fork, path: 'README.md' } }, 'success'],
    [{ name: 'workspace_delete_file', arguments: { workspace_id: fork, path: 'README.md' } }, 'refusal'],
    [{ name: 'workspace_list_files', arguments: { workspace_id: fork, prefix: 'src/' } }, 'success'],
    [{ name: 'workspace_diff', arguments: { workspace_id: fork, base_id: base } }, 'success'],
    [{ name: 'workspace_diff', arguments: { workspace_id: fork, base_id: scratch, patches: false } }, 'success'],
    [{ name: 'workspace_diff', arguments: { workspace_id: fork, base_id: 'ws_AAAAAAAAAAAAAAAAAAAAAA' } }, 'refusal'],
    [{ name: 'workspace_merge', arguments: { from_id: fork, into_id: base } }, 'success'],
    [{ name: 'workspace_merge', arguments: { from_id: fork, into_id: scratch } }, 'refusal'],
    [{ name: 'workspace_list', arguments: {} }, 'success'],
    [{ name: 'workspace_destroy', arguments: { workspace_id: scratch } }, 'success'],
    [{ name: 'workspace_read_file', arguments: { workspace_id: scratch, path: 'README.md' } }, 'refusal'],
  ];

  it('serves every workspace tool, successes and refusals, with the bytes the SDK sends', async () => {
    expect(new Set(script.map(([call]) => call.name))).toEqual(new Set(workspaceTools.map((tool) => tool.name)));
    for (const [call, expected] of script) {
      const outcome = await pair.send(corpus.call(call));
      expect(outcome.lean, call.name).toBe('served');
      expect(outcome.status).toBe(200);
      expect(outcome.body.includes('"isError":true'), `${call.name} ${JSON.stringify(call.arguments)}`).toBe(
        expected === 'refusal',
      );
    }
  });

  it('leaves every other kind of request to the SDK, which answers both copies alike', async () => {
    const variants = corpus.variantsOf({
      name: 'workspace_read_file',
      arguments: { workspace_id: base, path: 'src/main.ts' },
    });
    for (const variant of variants) {
      const outcome = await pair.send(variant.exchange);
      const did = outcome.lean === 'served' || outcome.lean === 'not-asked' ? outcome.lean : 'sdk';
      expect(did, variant.label).toBe(variant.lean);
    }
  });

  it('answers generated requests as the SDK does', async () => {
    const valid = script.map(([call]) => call).filter((call) => call.name !== 'workspace_destroy');
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(corpus.arbitrary(valid), async (exchange) => {
        const { lean } = await pair.send(exchange);
        outcomes.set(lean, (outcomes.get(lean) ?? 0) + 1);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Both halves were exercised: requests the lean path served and requests it left to the SDK.
    expect(outcomes.get('served') ?? 0).toBeGreaterThan(RUNS / 10);
    expect(RUNS - (outcomes.get('served') ?? 0)).toBeGreaterThan(RUNS / 10);
  });
});
