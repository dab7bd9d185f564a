/**
 * Work done optimistically: read and compute outside any transaction, then write only if what was
 * read is unchanged (compare-and-set), so no writer waits on the computing. After a few lost
 * races the same work runs under the write lock instead, where it costs what one attempt costs
 * (linear in its input), so a busy workspace cannot starve a call.
 */
export const OPTIMISTIC_ATTEMPTS = 3;

/** `attempt` gives undefined when what it read changed before it could write; then it is tried again, then `locked`. */
export async function optimistically<R>(attempt: () => Promise<R | undefined>, locked: () => Promise<R>): Promise<R> {
  for (let tries = 0; tries < OPTIMISTIC_ATTEMPTS; tries++) {
    const written = await attempt();
    if (written !== undefined) return written;
  }
  return locked();
}
