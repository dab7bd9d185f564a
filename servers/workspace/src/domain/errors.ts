/**
 * Every refusal the workspace domain makes, in one place: a stable code, one sentence that names
 * the input, what is wrong and the way out, and the facts a program may branch on. The handle
 * codes (unknown, expired, destroyed, quota) come from the kit's Handles.
 */
import { DomainError } from '@sessionless/kit';
import type { FileLimits } from './limits.js';
import type { ConflictKind, MergeConflict } from './merge.js';

export function workspaceNotFound(id: string): DomainError {
  return new DomainError(
    'HANDLE_NOT_FOUND',
    `Workspace ${id} was not found; call workspace_create to start a new one.`,
  );
}

export function fileNotFound(id: string, path: string): DomainError {
  return new DomainError(
    'FILE_NOT_FOUND',
    `Workspace ${id} has no file ${JSON.stringify(path)}; call workspace_list_files to see its files.`,
    { path },
  );
}

export function notText(path: string, advice: string): DomainError {
  return new DomainError('NOT_TEXT', `${JSON.stringify(path)} is binary (not valid UTF-8); ${advice}.`);
}

export function fileTooLarge(path: string, size: number, limits: FileLimits): DomainError {
  return new DomainError(
    'FILE_TOO_LARGE',
    `${JSON.stringify(path)} would be ${size} bytes, over the ${limits.maxFileBytes}-byte limit for one file; ` +
      `nothing was written. Split it into smaller files.`,
    { size, limit: limits.maxFileBytes },
  );
}

export function workspaceFull(what: string, files: number, bytes: number, limits: FileLimits): DomainError {
  const over =
    bytes > limits.maxWorkspaceBytes
      ? `${bytes} bytes, over the ${limits.maxWorkspaceBytes}-byte limit per workspace`
      : `${files} files, over the limit of ${limits.maxFiles} files per workspace`;
  return new DomainError(
    'WORKSPACE_FULL',
    `${what} would hold ${over}; nothing was written. Delete files you no longer need ` +
      `(workspace_delete_file) or write smaller ones.`,
    { bytes, files, max_bytes: limits.maxWorkspaceBytes, max_files: limits.maxFiles },
  );
}

/** Optimistic concurrency on one file: `ifMatch` must be the etag (content hash) it has now. */
export function checkIfMatch(path: string, currentEtag: string | undefined, ifMatch: string | undefined): void {
  if (ifMatch === undefined || currentEtag === ifMatch) return;
  const now = currentEtag ? `its etag is now ${currentEtag}` : 'it does not exist any more';
  throw new DomainError(
    'ETAG_MISMATCH',
    `${JSON.stringify(path)} changed since you read it: you sent if_match ${ifMatch} but ${now}; nothing was ` +
      `written. Read it again (workspace_read_file), apply your change to the current content and retry with its etag.`,
    { path, current_etag: currentEtag ?? null },
  );
}

const CONFLICT_WORDS: Record<ConflictKind, string> = {
  changed_in_both: 'changed in both',
  added_in_both: 'added in both with different content',
  deleted_in_from: 'deleted in from_id, changed in into_id',
  deleted_in_into: 'changed in from_id, deleted in into_id',
};
const LISTED_CONFLICTS = 20;

export function mergeConflict(fromId: string, intoId: string, conflicts: MergeConflict[]): DomainError {
  const listed = conflicts
    .slice(0, LISTED_CONFLICTS)
    .map((conflict) => `${JSON.stringify(conflict.path)} (${CONFLICT_WORDS[conflict.kind]})`);
  if (conflicts.length > LISTED_CONFLICTS) listed.push(`and ${conflicts.length - LISTED_CONFLICTS} more`);
  const count = conflicts.length === 1 ? '1 path was' : `${conflicts.length} paths were`;
  return new DomainError(
    'MERGE_CONFLICT',
    `Merging ${fromId} into ${intoId} applied nothing: ${count} changed on both sides since the fork point: ` +
      `${listed.join(', ')}. Compare them (workspace_diff), then call workspace_merge again with ` +
      `resolutions [{"path": ..., "take": "from" or "into"}] for each.`,
    { conflicts },
  );
}

export function unrelated(from: { id: string; parent_id: string | null }, into: { id: string }): DomainError {
  if (from.id === into.id) {
    return new DomainError(
      'SAME_WORKSPACE',
      `from_id and into_id are both ${from.id}; merge a fork into the workspace it was forked from.`,
    );
  }
  const origin = from.parent_id ? `was forked from ${from.parent_id}` : 'was created, not forked';
  return new DomainError(
    'WORKSPACES_UNRELATED',
    `${from.id} and ${into.id} are not a fork and the workspace it was forked from, so they have no fork point to ` +
      `merge against (${from.id} ${origin}); merge a fork into its parent, or a parent into its fork.`,
    { from_parent_id: from.parent_id },
  );
}
