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

/**
 * Text files up to `maxFileBytes` get a patch in a diff. All patches of one diff share three
 * budgets: the characters returned, the content bytes read to make them, and the diff steps taken
 * (Myers' algorithm, text-diff.ts). Once one is spent, no more contents are read: the remaining
 * files say `patch_budget_spent`. So a diff's work is bounded whatever the workspaces hold.
 */
export const PATCH_LIMITS = {
  maxFileBytes: 65_536,
  maxTotalChars: 65_536,
  maxReadBytes: 2 * 1_048_576,
  maxDiffSteps: 2_000_000,
};
