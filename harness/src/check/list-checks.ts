/**
 * The list checks, from the fetches alone: the same bytes on every instance, for a second
 * principal (or `cacheScope: "private"`), before and after tool calls; no tool appearing or
 * disappearing; one order every time; `ttlMs` and `cacheScope` on every 2026-07-28 list.
 */
import { firstDifference, type ListContext, type ListFetch } from './lists.js';
import { cacheHints } from './cache-hints.js';
import type { CheckResult } from './report.js';

const check = (
  id: string,
  name: string,
  rest: Omit<CheckResult, 'id' | 'group' | 'subject' | 'name'>,
): CheckResult => ({
  id: `lists.${id}`,
  group: 'lists',
  subject: null,
  name,
  ...rest,
});

const pass = (detail: string) => ({ status: 'pass' as const, detail, fix: null });
const fail = (detail: string, fix: string) => ({ status: 'fail' as const, detail, fix });

export function listChecks(c: ListContext): CheckResult[] {
  const noCalls = {
    status: 'skip' as const,
    detail:
      'not run: the check made no tool call between the fetches (no read-only tool it could call, and no handle probe).',
    fix: null,
  };
  const of = (method: string, where: (f: ListFetch) => boolean) =>
    c.fetches.filter((f) => f.method === method && where(f));
  const failed = c.fetches.find((f) => f.failure !== null && f.principal === 'A');
  const failedForB = c.fetches.find((f) => f.failure !== null && f.principal === 'B');
  const methods = c.methods.join(', ');
  const results: CheckResult[] = [];

  // 1. Every instance answers the same bytes (principal A, every round).
  const across = firstMismatch(
    c.methods,
    (m) => of(m, (f) => f.principal === 'A'),
    (f) => `instance ${f.instance + 1}`,
    (f) => f.round,
  );
  results.push(
    check(
      'identical-across-instances',
      'identical on every instance',
      failed
        ? fail(
            `${failed.method} failed on instance ${failed.instance + 1}: ${failed.failure}.`,
            'Every instance must answer every list a client may cache.',
          )
        : c.instances < 2
          ? {
              status: 'skip',
              detail: 'one instance given: pass two or more URLs of the same server to compare them.',
              fix: null,
            }
          : across
            ? fail(
                `${across.method} differs between ${across.a} and ${across.b}: ${across.diff}.`,
                'Build lists only from code and configuration every instance shares: nothing per process, per start time or per request.',
              )
            : pass(
                `${methods}: the same bytes from ${c.instances === 2 ? 'both' : `all ${c.instances}`} instances (${of(c.methods[0]!, (f) => f.principal === 'A').length} fetches of each).`,
              ),
    ),
  );

  // 2. A second principal sees the same bytes, or the list says it is private.
  if (!c.secondPrincipal) {
    results.push(
      check('identical-across-principals', 'the same for another principal, or private', {
        status: 'skip',
        detail: c.noSecondPrincipal,
        fix: null,
      }),
    );
  } else {
    const differing = c.methods.flatMap((m) => {
      const a = of(m, (f) => f.principal === 'A' && f.round === 'before');
      const b = of(m, (f) => f.principal === 'B');
      const pair = b
        .map((fb) => [a.find((fa) => fa.instance === fb.instance), fb] as const)
        .find(([fa, fb]) => fa && fa.json !== fb.json);
      return pair ? [{ method: m, a: pair[0]!, b: pair[1] }] : [];
    });
    const publicOnes = differing.filter(
      (d) => d.a.result?.cacheScope !== 'private' || d.b.result?.cacheScope !== 'private',
    );
    results.push(
      check(
        'identical-across-principals',
        'the same for another principal, or private',
        failedForB
          ? fail(
              `${failedForB.method} failed for principal B on instance ${failedForB.instance + 1}: ${failedForB.failure}.`,
              'Answer every principal the server accepts with its lists; refuse a principal at authentication (401), not list by list.',
            )
          : publicOnes.length
            ? fail(
                `${publicOnes[0]!.method} differs for principal B (${firstDifference(publicOnes[0]!.a.json, publicOnes[0]!.b.json)}) but says cacheScope ${JSON.stringify(publicOnes[0]!.a.result?.cacheScope ?? null)}.`,
                'Say cacheScope "private" on lists that depend on who asks, so a shared cache never hands one user\'s list to another.',
              )
            : pass(
                differing.length
                  ? `${differing.map((d) => d.method).join(', ')} differ per principal and say cacheScope "private"; the rest are the same bytes for both.`
                  : `${methods}: the same bytes for principals A and B.`,
              ),
      ),
    );
  }

  // 3. Tool calls change no list.
  const changed = firstMismatch(
    c.methods,
    (m) => of(m, (f) => f.principal === 'A' && f.round !== 'again'),
    (f) => `${f.round === 'after' ? 'after' : 'before'} the calls`,
    (f) => String(f.instance),
  );
  results.push(
    check(
      'unchanged-by-calls',
      'unchanged by tool calls',
      c.callsBetween === 0
        ? noCalls
        : changed
          ? fail(
              `${changed.method} on instance ${Number(changed.group) + 1} changed after the tool calls: ${changed.diff}.`,
              'Do not let a tool call change what a list says: keep per-call state in handles, not in the list.',
            )
          : pass(
              `${methods}: the same bytes before and after the check's ${c.callsBetween} tool calls, on every instance.`,
            ),
    ),
  );

  // 4. No tool appears or disappears because of a call.
  const before = new Set(of('tools/list', (f) => f.principal === 'A' && f.round !== 'after').flatMap((f) => f.names));
  const after = new Set(of('tools/list', (f) => f.principal === 'A' && f.round === 'after').flatMap((f) => f.names));
  const appeared = [...after].filter((n) => !before.has(n));
  const gone = [...before].filter((n) => !after.has(n));
  results.push(
    check(
      'stable-tool-set',
      'no tool appears or disappears after calls',
      !c.methods.includes('tools/list')
        ? { status: 'skip', detail: 'the server offers no tools.', fix: null }
        : c.callsBetween === 0
          ? noCalls
          : appeared.length + gone.length
            ? fail(
                `after the calls ${[appeared.length ? `${appeared.join(', ')} appeared` : '', gone.length ? `${gone.join(', ')} disappeared` : ''].filter(Boolean).join(' and ')}.`,
                'Register every tool up front; refuse a call that cannot run yet with a tool error instead of hiding the tool.',
              )
            : pass(`the same ${before.size} tools before and after the calls.`),
    ),
  );

  // 5. One order, every time.
  const orders = c.methods
    .filter((m) => m !== 'server/discover')
    .flatMap((m) => {
      for (const principal of ['A', 'B'] as const) {
        const lists = of(m, (f) => f.principal === principal && f.failure === null);
        const odd = lists.find(
          (f) => f.names.join('\n') !== lists[0]!.names.join('\n') && sameSet(f.names, lists[0]!.names),
        );
        if (odd) return [{ method: m, fetch: odd }];
      }
      return [];
    });
  // Fetched twice in a row on instance 1, with nothing in between: the same bytes.
  const again = c.methods.flatMap((m) => {
    const [first, second] = [
      of(m, (f) => f.round === 'before' && f.instance === 0 && f.principal === 'A')[0],
      of(m, (f) => f.round === 'again')[0],
    ];
    return first && second && !first.failure && !second.failure && first.json !== second.json
      ? [{ method: m, diff: firstDifference(first.json, second.json) }]
      : [];
  });
  const orderFix = 'Return items in a fixed order (registration order or sorted), never from a hash, a set or a race.';
  results.push(
    check(
      'deterministic-order',
      'deterministic order',
      orders.length
        ? fail(
            `${orders[0]!.method} listed the same items in another order on instance ${orders[0]!.fetch.instance + 1} (${orders[0]!.fetch.round === 'after' ? 'after' : 'before'} the calls).`,
            orderFix,
          )
        : again.length
          ? fail(`${again[0]!.method} fetched twice in a row from instance 1 differed: ${again[0]!.diff}.`, orderFix)
          : pass(
              `every fetch listed the items in the same order, and a fetch repeated at once gave the same bytes (${c.fetches.length} fetches).`,
            ),
    ),
  );

  // 6. Cache hints on every 2026-07-28 list.
  results.push(check('cache-hints', 'ttlMs and cacheScope present', cacheHints(c, of)));
  return results;
}

function firstMismatch(
  methods: string[],
  fetchesOf: (method: string) => ListFetch[],
  label: (f: ListFetch) => string,
  groupBy: (f: ListFetch) => string,
): { method: string; a: string; b: string; diff: string; group: string } | null {
  for (const method of methods) {
    const groups = new Map<string, ListFetch[]>();
    for (const f of fetchesOf(method).filter((x) => x.failure === null))
      groups.set(groupBy(f), [...(groups.get(groupBy(f)) ?? []), f]);
    for (const [group, fetches] of groups) {
      const odd = fetches.find((f) => f.json !== fetches[0]!.json);
      if (odd)
        return {
          method,
          a: label(fetches[0]!),
          b: label(odd),
          diff: firstDifference(fetches[0]!.json, odd.json),
          group,
        };
    }
  }
  return null;
}

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
