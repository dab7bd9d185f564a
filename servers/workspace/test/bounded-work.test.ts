/**
 * No call does work that grows faster than its input, or without bound: the steps the workspace's
 * algorithms take are counted (domain/work.ts), not timed. Ten times the input takes at most
 * about ten times the steps; the diff stops reading and comparing once its budgets are spent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findOccurrences } from '../src/domain/edit.js';
import { PATCH_LIMITS } from '../src/domain/limits.js';
import type { TreeChange } from '../src/domain/merge.js';
import { diffEntries } from '../src/domain/rows.js';
import { unifiedDiff } from '../src/domain/text-diff.js';
import { work } from '../src/domain/work.js';
import { applyPatch, lcsLength } from './diff-reference.js';

/** The steps `run` takes, by the workspace's own count. */
function stepsOf(run: () => unknown): number {
  const before = work.steps;
  run();
  return work.steps - before;
}

async function stepsOfAsync(run: () => Promise<unknown>): Promise<number> {
  const before = work.steps;
  await run();
  return work.steps - before;
}

describe('workspace_edit_file matching', () => {
  it('takes at most 2(n + m) steps on the text that made the old count quadratic, so 10x the input is 10x the work', () => {
    const steps = (n: number) => {
      const [text, old] = [Buffer.alloc(n, 'a'), Buffer.alloc(n / 2, 'a')];
      let found = { count: 0, first: -1 };
      const taken = stepsOf(() => (found = findOccurrences(text, old)));
      expect(found).toEqual({ count: n / 2 + 1, first: 0 });
      expect(taken).toBeLessThanOrEqual(2 * (n + n / 2));
      return taken;
    };
    const small = steps(30_000);
    expect(steps(300_000) / small).toBeLessThanOrEqual(10.5);
  });

  it('counts exactly what a naive scan counts, overlaps included, within 2(n + m) steps, whatever the bytes', () => {
    const bytes = (max: number) => fc.uint8Array({ min: 97, max: 99, maxLength: max }).map((a) => Buffer.from(a));
    fc.assert(
      fc.property(bytes(200), bytes(8), (text, old) => {
        let naive = 0;
        for (let at = 0; old.length && at + old.length <= text.length; at++) {
          if (text.subarray(at, at + old.length).equals(old)) naive++;
        }
        let found = { count: 0, first: -1 };
        const taken = stepsOf(() => (found = findOccurrences(text, old)));
        return (
          found.count === naive &&
          (naive === 0 || found.first === text.indexOf(old)) &&
          taken <= 2 * (text.length + old.length)
        );
      }),
      { seed: 15, numRuns: 500 },
    );
  });
});

describe('workspace_diff patches', () => {
  const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `line ${i} ${tag}\n`).join('');

  it('a file 10x longer with the same changes takes at most about 10x the diff steps', () => {
    const steps = (n: number) => {
      const before = lines(n, 'same');
      const after = before.replace('line 3 same', 'line 3 new').replace(`line ${n - 2} same`, 'changed');
      return stepsOf(() => expect(unifiedDiff('f.txt', before, after)).toMatch(/^@@ /m));
    };
    expect(steps(20_000) / steps(2_000)).toBeLessThanOrEqual(10.5);
  });

  it('gives up on two files with nothing in common once its steps are spent, having taken no more', () => {
    const [a, b] = [lines(8_000, 'a'), lines(8_000, 'b')];
    const taken = stepsOf(() => expect(unifiedDiff('f.txt', a, b, 100_000)).toBeUndefined());
    expect(taken).toBeLessThanOrEqual(100_000 + 2 * 16_000);
  });

  it('is a shortest edit script that turns the old lines into the new ones', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 30 })
      .map((l) => l.map((x) => `${x}\n`).join(''));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const patch = unifiedDiff('f.txt', before, after)!;
        const changed = patch.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l)).length;
        const [a, b] = [before.split('\n').slice(0, -1), after.split('\n').slice(0, -1)];
        return applyPatch(before, patch) === after && changed === a.length + b.length - 2 * lcsLength(a, b);
      }),
      { seed: 15, numRuns: 300 },
    );
  });

  it('stops reading contents once the budgets are spent: 150 modified files cost what 15 do', async () => {
    const big = Buffer.from(lines(6_000, 'x').slice(0, PATCH_LIMITS.maxFileBytes - 10));
    const edited = Buffer.from(`changed\n${big.subarray(8).toString()}`);
    const run = async (count: number) => {
      const changes: TreeChange[] = Array.from({ length: count }, (_, i) => ({
        path: `src/f${String(i).padStart(3, '0')}.txt`,
        status: 'modified',
        before: { hash: 'old', size: big.length },
        after: { hash: 'new', size: edited.length },
      }));
      let reads = 0;
      let entries: Awaited<ReturnType<typeof diffEntries>> = [];
      const steps = await stepsOfAsync(async () => {
        entries = await diffEntries(changes, true, async (hash) => {
          reads++;
          return hash === 'old' ? big : edited;
        });
      });
      return { reads, steps, entries };
    };
    const small = await run(15);
    const large = await run(150);
    expect(small.entries.every((entry) => entry.patch !== null)).toBe(true);
    expect(large.entries).toHaveLength(150);
    const patched = large.entries.filter((entry) => entry.patch !== null).length;
    expect(large.reads).toBe(2 * patched);
    expect(large.reads * big.length).toBeLessThanOrEqual(PATCH_LIMITS.maxReadBytes + 2 * big.length);
    expect(large.entries.slice(patched).every((entry) => entry.patchOmitted === 'patch_budget_spent')).toBe(true);
    expect(large.steps / small.steps).toBeLessThanOrEqual(10);
    expect(large.steps).toBeLessThanOrEqual(PATCH_LIMITS.maxReadBytes + PATCH_LIMITS.maxDiffSteps + 150);
  });
});
