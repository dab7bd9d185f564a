/**
 * The workspace server's one error catalogue: every code it can return (the kit's handle codes
 * included), when, and the way out; the README's errors table is generated from it. Below it,
 * each refusal's sentence builder: the input, what is wrong and the way out, plus the facts a
 * program may branch on. `refuse` takes only a catalogue code, so a misspelt code does not compile.
 */
import { defineErrors, DomainError, KIT_ERRORS } from '@sessionless/kit';
import type { FileLimits } from './limits.js';
import type { ConflictKind, MergeConflict } from './merge.js';

export const WORKSPACE_ERRORS = defineErrors({
  ...KIT_ERRORS,
  PATH_EMPTY: { when: 'The path is empty.', wayOut: 'Name a file, such as "notes.md" or "src/main.ts".' },
  PATH_OUTSIDE_WORKSPACE: {
    when: 'The path has a ".." segment, which would climb out of its directory.',
    wayOut: 'Name the file from the workspace root without "..".',
  },
  PATH_ABSOLUTE: { when: 'The path starts with "/".', wayOut: 'Write it relative to the workspace root.' },
  PATH_DRIVE_LETTER: { when: 'The path starts with a drive letter ("C:").', wayOut: 'Drop the drive letter.' },
  PATH_BACKSLASH: { when: 'The path contains "\\" (only "/" separates).', wayOut: 'Use "/" between names.' },
  PATH_DOT_SEGMENT: {
    when: 'The path has a "." segment, which is not canonical.',
    wayOut: 'Write the canonical spelling the sentence gives.',
  },
  PATH_EMPTY_SEGMENT: {
    when: 'The path has an empty segment ("//", or a leading or trailing "/").',
    wayOut: 'Write the canonical spelling the sentence gives.',
  },
  PATH_CONTROL_CHARACTER: { when: 'The path contains NUL or another control character.', wayOut: 'Remove it.' },
  PATH_INVALID_UNICODE: { when: 'The path contains an unpaired UTF-16 surrogate.', wayOut: 'Send valid Unicode text.' },
  PATH_INVISIBLE_CHARACTER: {
    when: 'The path contains an invisible character: a bidi control, a zero-width character, a BOM, a filler.',
    wayOut: 'Remove it.',
  },
  PATH_LOOKALIKE_CHARACTER: {
    when: 'The path contains a fullwidth form, or a character that looks like "/", "\\", "." or a space but is not.',
    wayOut: 'Replace it with the ASCII character the sentence names, if that is what was meant.',
  },
  PATH_SEGMENT_SPACE: {
    when: 'A name in the path begins or ends with a space.',
    wayOut: 'Write the trimmed spelling the sentence gives.',
  },
  PATH_TOO_LONG: { when: 'The path is over 1,024 bytes of UTF-8.', wayOut: 'Use a shorter path.' },
  PATH_SEGMENT_TOO_LONG: { when: 'One name in the path is over 255 bytes of UTF-8.', wayOut: 'Use a shorter name.' },
  DUPLICATE_PATH: {
    when: 'workspace_create lists two files with the same path (after Unicode NFC normalisation).',
    wayOut: 'List each file once.',
  },
  TEXT_INVALID_UNICODE: {
    when: 'Text (content, old_text, new_text or a name) contains an unpaired UTF-16 surrogate, which UTF-8 cannot store.',
    wayOut: 'Send valid Unicode text, or the exact bytes as base64 content.',
  },
  INVALID_BASE64: {
    when: 'Content sent with encoding "base64" is not canonical base64.',
    wayOut: 'Encode the bytes again, or send text with encoding "utf8".',
  },
  FILE_NOT_FOUND: {
    when: 'The workspace has no file at the path.',
    wayOut: 'Call workspace_list_files to see its files.',
  },
  NOT_TEXT: {
    when: 'A text operation (an edit, a read as "utf8") on a file that is not valid UTF-8.',
    wayOut: 'Read it with encoding "base64", or replace it whole with workspace_write_file.',
  },
  FILE_TOO_LARGE: {
    when: 'A file would be over the per-file limit (WORKSPACE_MAX_FILE_BYTES); nothing was written.',
    wayOut: 'Split it into smaller files.',
  },
  WORKSPACE_FULL: {
    when: 'The workspace would hold more bytes or files than allowed; nothing was written.',
    wayOut: 'Delete files you no longer need, or write smaller ones.',
  },
  ETAG_MISMATCH: {
    when: "if_match is not the file's etag any more (it changed or was deleted); details carry current_etag.",
    wayOut: 'Read it again, apply the change to the current content and retry with its etag.',
  },
  EDIT_NO_MATCH: {
    when: "workspace_edit_file's old_text occurs nowhere in the file.",
    wayOut: 'Read the file and copy the text to replace exactly, whitespace included.',
  },
  EDIT_AMBIGUOUS: {
    when: 'old_text occurs more than once; details carry matches.',
    wayOut: 'Include more of the surrounding text so it matches only the place to change.',
  },
  MERGE_CONFLICT: {
    when: 'A path changed on both sides since the fork point; nothing was applied; details list every conflict.',
    wayOut: 'Compare them (workspace_diff), then merge again with a resolution for each path.',
  },
  SAME_WORKSPACE: {
    when: 'workspace_merge with from_id equal to into_id.',
    wayOut: 'Merge a fork into the workspace it was forked from.',
  },
  WORKSPACES_UNRELATED: {
    when: 'Neither workspace of a merge was forked from the other, so there is no fork point.',
    wayOut: 'Merge a fork into its parent, or a parent into its fork.',
  },
});

export type WorkspaceErrorCode = keyof typeof WORKSPACE_ERRORS;
/** The codes of the path rules (paths.ts). */
export type PathErrorCode = Extract<WorkspaceErrorCode, `PATH_${string}`>;

function refuse(code: WorkspaceErrorCode, message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(code, message, details);
}

/** A path refused by a rule: `<field> "<input>" is refused: <rule>; <fix>.` */
export function pathRefused(code: PathErrorCode, field: string, shown: string, rule: string, fix: string): DomainError {
  return refuse(code, `${field} ${shown} is refused: ${rule}; ${fix}.`, { rule: code, field });
}

export function duplicatePath(index: number, input: string, first: number, path: string): DomainError {
  return refuse(
    'DUPLICATE_PATH',
    `files[${index}].path ${JSON.stringify(input)} names the same file as files[${first}].path ` +
      `(${JSON.stringify(path)} after Unicode NFC normalisation); list each file once.`,
  );
}

export function invalidUnicode(field: string, at: number): DomainError {
  return refuse(
    'TEXT_INVALID_UNICODE',
    `${field} contains an unpaired UTF-16 surrogate at character ${at}, which UTF-8 cannot store (it would be ` +
      `saved as U+FFFD); nothing was written. Send valid Unicode text, or the exact bytes as base64 content.`,
    { field, at },
  );
}

export function invalidBase64(path: string): DomainError {
  return refuse(
    'INVALID_BASE64',
    `The content for ${JSON.stringify(path)} is not valid base64 (A-Z, a-z, 0-9, + and /, padded with = to a multiple ` +
      `of 4 characters); encode the bytes again, or send text with encoding "utf8".`,
  );
}

export function editNoMatch(path: string): DomainError {
  return refuse(
    'EDIT_NO_MATCH',
    `old_text was found 0 times in ${JSON.stringify(path)}; it must match exactly once, whitespace and line ` +
      `breaks included. Read the file (workspace_read_file) and copy the text to replace exactly.`,
    { matches: 0 },
  );
}

export function editAmbiguous(path: string, matches: number): DomainError {
  return refuse(
    'EDIT_AMBIGUOUS',
    `old_text was found ${matches} times in ${JSON.stringify(path)}; it must match exactly once. Include more ` +
      `of the surrounding text so it matches only the place to change.`,
    { matches },
  );
}

export function workspaceNotFound(id: string): DomainError {
  return refuse('HANDLE_NOT_FOUND', `Workspace ${id} was not found; call workspace_create to start a new one.`);
}

export function fileNotFound(id: string, path: string): DomainError {
  return refuse(
    'FILE_NOT_FOUND',
    `Workspace ${id} has no file ${JSON.stringify(path)}; call workspace_list_files to see its files.`,
    { path },
  );
}

export function notText(path: string, advice: string): DomainError {
  return refuse('NOT_TEXT', `${JSON.stringify(path)} is binary (not valid UTF-8); ${advice}.`);
}

export function fileTooLarge(path: string, size: number, limits: FileLimits): DomainError {
  return refuse(
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
  return refuse(
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
  throw refuse(
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
  return refuse(
    'MERGE_CONFLICT',
    `Merging ${fromId} into ${intoId} applied nothing: ${count} changed on both sides since the fork point: ` +
      `${listed.join(', ')}. Compare them (workspace_diff), then call workspace_merge again with ` +
      `resolutions [{"path": ..., "take": "from" or "into"}] for each.`,
    { conflicts },
  );
}

export function unrelated(from: { id: string; parent_id: string | null }, into: { id: string }): DomainError {
  if (from.id === into.id) {
    return refuse(
      'SAME_WORKSPACE',
      `from_id and into_id are both ${from.id}; merge a fork into the workspace it was forked from.`,
    );
  }
  const origin = from.parent_id ? `was forked from ${from.parent_id}` : 'was created, not forked';
  return refuse(
    'WORKSPACES_UNRELATED',
    `${from.id} and ${into.id} are not a fork and the workspace it was forked from, so they have no fork point to ` +
      `merge against (${from.id} ${origin}); merge a fork into its parent, or a parent into its fork.`,
    { from_parent_id: from.parent_id },
  );
}
