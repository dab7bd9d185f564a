/**
 * The contract between the scale runner and what it drives. A workload sets up its handles (or
 * sessions), then virtual agents call `step(n)` in a loop (closed) or on a schedule (open);
 * afterwards `verify()` says whether everything acknowledged is still there.
 */
import type { Invariant } from '../report/schema.js';

export interface Workload {
  readonly agentCount: number;
  setup(): Promise<void>;
  /** One call by agent n; `startedMs` is when it was due (open loop). */
  step(n: number, startedMs?: number): Promise<void>;
  verify(): Promise<Invariant[]>;
  /** Best effort: frees what set-up created. */
  teardown(): Promise<void>;
}
