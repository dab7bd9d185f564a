/**
 * The workspace benchmark's fork and merge rounds, one call at a time and timed on the client:
 * fork a 1,000-file workspace, change 70 files in the fork, merge it back, check with a diff that
 * the two are identical, destroy the fork. Any surprise is a problem the report lists.
 */
import { performance } from 'node:perf_hooks';

export type CallTool = <T = Record<string, unknown>>(name: string, args: Record<string, unknown>) => Promise<T>;

export const FORK_FILES = 1_000;
export const FORK_CHANGES = { modified: 50, added: 10, deleted: 10 };

export async function forkAndMerge(call: CallTool, rounds: number, problems: string[]) {
  const files = Array.from({ length: FORK_FILES }, (_, i) => ({
    path: `src/module-${String(i).padStart(4, '0')}.ts`,
    content: `export const value${i} = ${i};\n${'// filler\n'.repeat(8)}`,
  }));
  const { workspace_id: base } = await call<{ workspace_id: string }>('workspace_create', {
    name: 'bench base',
    files,
  });
  const forks: number[] = [];
  const merges: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const forkStarted = performance.now();
    const fork = await call<{ workspace_id: string; file_count: number }>('workspace_fork', { workspace_id: base });
    forks.push(performance.now() - forkStarted);
    if (fork.file_count !== FORK_FILES + round * (FORK_CHANGES.added - FORK_CHANGES.deleted)) {
      problems.push(`round ${round}: the fork holds ${fork.file_count} files`);
    }
    const id = fork.workspace_id;
    const listing = await call<{ files: Array<{ path: string }> }>('workspace_list_files', {
      workspace_id: id,
      prefix: 'src/',
      limit: 10_000,
    });
    const existing = listing.files;
    const changed = (i: number) => (round * 97 + i * 13) % existing.length;
    for (let i = 0; i < FORK_CHANGES.modified; i++) {
      await call('workspace_write_file', {
        workspace_id: id,
        path: existing[changed(i)]!.path,
        content: `// round ${round}\n`,
      });
    }
    for (let i = 0; i < FORK_CHANGES.added; i++) {
      await call('workspace_write_file', { workspace_id: id, path: `added/r${round}-${i}.ts`, content: `${round}\n` });
    }
    const modified = new Set(Array.from({ length: FORK_CHANGES.modified }, (_, i) => changed(i)));
    const deletable = existing.filter((_, index) => !modified.has(index)).slice(0, FORK_CHANGES.deleted);
    for (const file of deletable) await call('workspace_delete_file', { workspace_id: id, path: file.path });

    const mergeStarted = performance.now();
    const merged = await call<{ changes: unknown[] }>('workspace_merge', { from_id: id, into_id: base });
    merges.push(performance.now() - mergeStarted);
    const expected = FORK_CHANGES.modified + FORK_CHANGES.added + FORK_CHANGES.deleted;
    if (merged.changes.length !== expected) problems.push(`round ${round}: merged ${merged.changes.length} changes`);
    const diff = await call<{ identical: boolean }>('workspace_diff', {
      workspace_id: id,
      base_id: base,
      patches: false,
    });
    if (!diff.identical) problems.push(`round ${round}: base and fork differ after the merge`);
    await call('workspace_destroy', { workspace_id: id });
  }
  return { forks, merges };
}
