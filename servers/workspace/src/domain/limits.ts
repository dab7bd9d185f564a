/**
 * The size limits the workspace enforces: per file, per workspace and per diff. Writes are checked
 * against them before anything is stored (content.ts) and inside the write's transaction
 * (the store), so no workspace ever holds more than they allow.
 */

export interface FileLimits {
  /** Largest single file, in bytes. */
  maxFileBytes: number;
  /** Largest sum of file sizes in one workspace, in bytes (forks count in full: each is a workspace). */
  maxWorkspaceBytes: number;
  /** Most files in one workspace. */
  maxFiles: number;
}

/** Text files up to this size get a patch in a diff; all patches of one diff share a budget. */
export const PATCH_LIMITS = { maxFileBytes: 65_536, maxTotalChars: 65_536 };
