/**
 * The largest calls the limits allow, through the tools in-process on each store, with the work
 * they do counted (domain/work.ts): linear in the call's input and under a fixed bound. The same
 * calls run against two real processes in stall.test.ts.
 */
import { type InProcessApp, type ModernClient, testStores, type StoreDialect } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCH_LIMITS } from '../src/domain/limits.js';
import { work } from '../src/domain/work.js';
import type { WorkspaceDeps } from '../src/index.js';
import { caller, ok, toolError, workspaceInProcess } from './helpers.js';
import { AMBIGUOUS_EDIT, MAX_FILE, modifiedFiles, UNIQUE_EDIT } from './largest-calls.js';

describe.each(testStores())('the largest calls on %s', (dialect: StoreDialect) => {
  let fixture: InProcessApp<WorkspaceDeps>;
  let client: ModernClient;
  let call: ReturnType<typeof caller>;

  beforeAll(async () => {
    fixture = await workspaceInProcess({}, dialect);
    client = await fixture.connectModern();
    await client.listTools();
    call = caller(client);
  });
  afterAll(async () => {
    await client.close();
    await fixture.close();
  });

  const create = async (files: Array<{ path: string; content: string }>) =>
    ok<{ workspace_id: string }>(await call('workspace_create', { files })).workspace_id;

  async function counted<T>(run: () => Promise<T>): Promise<{ result: T; steps: number }> {
    const before = work.steps;
    const result = await run();
    return { result, steps: work.steps - before };
  }

  it('workspace_edit_file: old_text matching everywhere in the largest file takes steps linear in it, 10x for 10x', async () => {
    const edit = async (scale: number) => {
      const content = AMBIGUOUS_EDIT.content.slice(0, MAX_FILE / scale);
      const old_text = AMBIGUOUS_EDIT.old_text.slice(0, 300_000 / scale);
      const workspace_id = await create([{ path: 'a.txt', content }]);
      const { result, steps } = await counted(() =>
        call('workspace_edit_file', { workspace_id, path: 'a.txt', old_text, new_text: 'x' }),
      );
      expect(toolError(result)).toMatchObject({
        code: 'EDIT_AMBIGUOUS',
        details: { matches: content.length - old_text.length + 1 },
      });
      expect(steps).toBeLessThanOrEqual(3 * (content.length + old_text.length));
      return steps;
    };
    const small = await edit(10);
    expect((await edit(1)) / small).toBeLessThanOrEqual(10.5);
  });

  it('workspace_edit_file: the one match at the end of the largest file is replaced, in linear steps', async () => {
    const workspace_id = await create([{ path: 'b.txt', content: UNIQUE_EDIT.content }]);
    const { old_text, new_text } = UNIQUE_EDIT;
    const { result, steps } = await counted(() =>
      call('workspace_edit_file', { workspace_id, path: 'b.txt', old_text, new_text }),
    );
    expect(ok<{ size: number }>(result).size).toBe(MAX_FILE - old_text.length + 1);
    expect(steps).toBeLessThanOrEqual(3 * (MAX_FILE + old_text.length) + 2 * MAX_FILE);
    const read = ok<{ content: string }>(await call('workspace_read_file', { workspace_id, path: 'b.txt' }));
    expect(read.content).toBe(`${'a'.repeat(MAX_FILE - 1 - 300_000)}c`);
  });

  it('workspace_diff of 150 modified files of the largest patchable size stops at its budgets: the work of about 15', async () => {
    const diffOf = async (count: number) => {
      const { base, changed } = modifiedFiles(count);
      const base_id = await create([]);
      for (const file of base) ok(await call('workspace_write_file', { workspace_id: base_id, ...file }));
      const { workspace_id } = ok<{ workspace_id: string }>(await call('workspace_fork', { workspace_id: base_id }));
      for (const file of changed) ok(await call('workspace_write_file', { workspace_id, ...file }));
      const { result, steps } = await counted(() => call('workspace_diff', { workspace_id, base_id }));
      const { changes } = ok<{ changes: Array<{ patch: string | null; patch_omitted?: string }> }>(result);
      expect(changes).toHaveLength(count);
      return { steps, changes, bytes: JSON.stringify(result).length };
    };
    const small = await diffOf(15);
    const large = await diffOf(150);
    expect(small.changes.every((change) => change.patch !== null)).toBe(true);
    const patched = large.changes.filter((change) => change.patch !== null).length;
    expect(patched).toBeLessThan(20);
    expect(large.changes.slice(patched).every((c) => c.patch_omitted === 'patch_budget_spent')).toBe(true);
    expect(large.steps / small.steps).toBeLessThanOrEqual(10);
    expect(large.steps).toBeLessThanOrEqual(PATCH_LIMITS.maxReadBytes + PATCH_LIMITS.maxDiffSteps + 1_000);
    expect(large.bytes).toBeLessThan(2 * PATCH_LIMITS.maxTotalChars + 150 * 400);
  });
});
