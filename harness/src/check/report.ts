/**
 * The check report: one stable JSON shape (`schema: "sessionless-harness/check@1"`, documented in
 * docs/08-harness-and-ci.md) from which the table and the Markdown are rendered. Fields are only
 * ever added within a schema version; renaming or removing one bumps it.
 */

export const CHECK_SCHEMA = 'sessionless-harness/check@1';

/**
 * `pass`; `fail` (unsafe behind a load balancer without affinity, or a broken promise to clients);
 * `warn` (works, but costs clients something: e.g. lists no client may cache); `skip` (not
 * applicable, or not run, and the detail says which and why).
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export type CheckGroup = 'lists' | 'sessions' | 'handles';

export interface CheckResult {
  /** Stable id, e.g. "lists.identical-across-instances", "handles.other-principal". */
  id: string;
  group: CheckGroup;
  /** The handle argument a handles check is about ("cart_id"), else null. */
  subject: string | null;
  /** What must hold, in words. */
  name: string;
  status: CheckStatus;
  /** What was found: one sentence (for fail and warn, the reason). */
  detail: string;
  /** For fail and warn: one sentence on what to change. */
  fix: string | null;
}

export interface InstanceReport {
  url: string;
  /** `name` and `version` the server reports, when it says. */
  server: string | null;
  /** Answers `server/discover` with 2026-07-28 among its versions. */
  modern: boolean;
  /** Answers a 2025-11-25 `initialize`. */
  legacy: boolean;
}

/** What the check may write: see `handle-samples.ts` and docs/08-harness-and-ci.md. */
export type WritePolicy = 'read-only' | 'handle-probes' | 'allow-writes';

export interface HandleKindReport {
  argument: string;
  create: string;
  read: string | null;
  destroy: string | null;
  /** Every tool that takes the argument. */
  tools: string[];
  source: 'tool list' | 'declaration';
}

export interface CheckReport {
  schema: typeof CHECK_SCHEMA;
  /** No check failed. */
  ok: boolean;
  startedAt: string;
  durationMs: number;
  instances: InstanceReport[];
  /** The era the checks spoke: 2026-07-28 when instance 1 answers server/discover. */
  era: 'modern' | 'legacy';
  /** How each principal was given: A by --token, by --header only, or with neither (anonymous). */
  principals: { a: 'token' | 'headers' | 'anonymous'; b: 'token' | null };
  writes: {
    /** `read-only` (--read-only), `handle-probes` (default: create what a destroy tool removes), `allow-writes`. */
    policy: WritePolicy;
    /** Calls to tools not annotated read-only, by tool. */
    calls: Record<string, number>;
    /** Handles created and not destroyed (no destroy tool, or it failed); they expire on their own. */
    leftBehind: string[];
  };
  handles: HandleKindReport[];
  checks: CheckResult[];
  counts: Record<CheckStatus, number>;
}
