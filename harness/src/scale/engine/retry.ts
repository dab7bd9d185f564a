/**
 * When the load generator sends a failed call again, as a careful client would. An instance that
 * is gone (refused, reset, 502...) is left out and the call goes to another one at once; a store
 * that could not answer (STORE_UNAVAILABLE, STORE_BUSY) is the same for every instance, so the
 * call waits and tries again, backing off, within a bounded time. Either way a call is sent again
 * only when that cannot apply it twice: the first attempt surely did nothing (a refused connection,
 * `applied: false`), or the call is safe to repeat (read-only, idempotent, an idempotency key).
 */
import type { Outcome } from './wire.js';

/** Attempts at most for a call whose instance did not answer (each on another instance). */
export const MAX_INSTANCE_ATTEMPTS = 3;
/** A store refusal is retried until this long after the call was first sent. */
export const STORE_RETRY_BUDGET_MS = 20_000;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 1_000;

export interface RetryVerdict {
  /** The attempt failed for a reason a retry may fix: counted as a failed attempt. */
  failedAttempt: boolean;
  /** Sending it again cannot apply it twice. */
  repeatable: boolean;
  /** Milliseconds to wait before the next attempt, or null: this outcome is the call's last. */
  retryInMs: number | null;
  /** The instance is at fault: leave it out for a while and send the retry elsewhere. */
  blameInstance: boolean;
}

/**
 * `safe`: the call may be repeated (annotations or an idempotency key); `attempt` is 1-based;
 * `elapsedMs` since the first attempt was sent.
 */
export function retryVerdict(outcome: Outcome, safe: boolean, attempt: number, elapsedMs: number): RetryVerdict {
  if (outcome.ok || !outcome.retryable) {
    return { failedAttempt: false, repeatable: false, retryInMs: null, blameInstance: false };
  }
  if (outcome.applied !== undefined) {
    const repeatable = outcome.applied === false || safe;
    const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1));
    const inBudget = elapsedMs + backoff < STORE_RETRY_BUDGET_MS;
    return {
      failedAttempt: true,
      repeatable,
      retryInMs: repeatable && inBudget ? backoff : null,
      blameInstance: false,
    };
  }
  // A refused connection never delivered the request, so any call may be sent again.
  const repeatable = safe || outcome.kind === 'connection refused';
  const more = repeatable && attempt < MAX_INSTANCE_ATTEMPTS;
  return { failedAttempt: true, repeatable, retryInMs: more ? 0 : null, blameInstance: true };
}
