/**
 * The cache-hints check: every 2026-07-28 list says how long it may be reused (`ttlMs`) and by whom
 * (`cacheScope`). Missing hints fail (no client may cache); a ttlMs of 0 warns (correct, but every
 * client and subagent must fetch the list again each time).
 */
import type { ListContext, ListFetch } from './lists.js';
import type { CheckResult } from './report.js';

export function cacheHints(
  c: ListContext,
  of: (m: string, w: (f: ListFetch) => boolean) => ListFetch[],
): Omit<CheckResult, 'id' | 'group' | 'subject' | 'name'> {
  if (!c.modern) {
    return {
      status: 'skip',
      detail: 'the server speaks only 2025-11-25, whose lists carry no cache hints.',
      fix: null,
    };
  }
  const firsts = c.methods
    .map((m) => of(m, (f) => f.principal === 'A' && f.result !== null)[0])
    .filter((f) => f !== undefined);
  const missing = firsts.filter(
    (f) => typeof f.result!.ttlMs !== 'number' || !['public', 'private'].includes(String(f.result!.cacheScope)),
  );
  if (missing.length) {
    return {
      status: 'fail',
      detail: `${missing.map((f) => f.method).join(', ')} carry no ttlMs and cacheScope, so no client may cache them.`,
      fix: "Set the server's cacheHints, e.g. { 'tools/list': { ttlMs: 300000, cacheScope: 'public' } } when the list is the same for everyone.",
    };
  }
  const zero = firsts.filter((f) => f.result!.ttlMs === 0);
  const hints = firsts.map((f) => `${f.method} ${f.result!.ttlMs} ms ${f.result!.cacheScope}`).join(', ');
  if (zero.length) {
    return {
      status: 'warn',
      detail: `${zero.map((f) => f.method).join(', ')} say ttlMs 0 (${hints}): correct, but every client and subagent must fetch them again each time.`,
      fix: "Set cacheHints with a ttlMs the lists can be trusted for (and cacheScope 'public' when they are the same for everyone).",
    };
  }
  return { status: 'pass', detail: `${hints}.`, fix: null };
}
