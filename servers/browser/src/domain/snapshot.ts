/**
 * Element refs that survive a change of instance. Playwright's AI snapshot labels elements
 * `[ref=eN]`, but those refs live inside one page. We save the snapshot text with the browser
 * record and describe each ref by what does not depend on the page object: its role, its
 * accessible name and its position among elements with the same role and name. Another
 * instance re-snapshots its own copy of the page and finds the element with the same description.
 * A huge page's snapshot is cut: what is kept (and saved) is bounded, and replies show it in pages.
 */
export interface RefTarget {
  role: string;
  name: string;
  nth: number;
}

const LINE = /^\s*- ([a-z]+)(?: "((?:[^"\\]|\\.)*)")?[^\n]*?\[ref=(f?\d*e\d+)\]/;

export function parseRefs(snapshot: string): Map<string, RefTarget> {
  const refs = new Map<string, RefTarget>();
  const seen = new Map<string, number>();
  for (const line of snapshot.split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, role = '', rawName = '', ref = ''] = match;
    const name = rawName.replace(/\\(.)/g, '$1');
    const key = `${role}\u0000${name}`;
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    refs.set(ref, { role, name, nth });
  }
  return refs;
}

/** The ref that has `target`'s description in `snapshot`, if any. */
export function findRef(snapshot: string, target: RefTarget): string | undefined {
  for (const [ref, candidate] of parseRefs(snapshot)) {
    if (candidate.role === target.role && candidate.name === target.name && candidate.nth === target.nth) return ref;
  }
  return undefined;
}

export interface SnapshotLimits {
  /** Characters of snapshot one reply shows. */
  pageChars: number;
  /** Characters of snapshot kept (and saved) for a page; elements beyond have no refs. */
  maxChars: number;
}

/** The snapshot as kept: whole lines up to `maxChars`, and a marker line saying what was cut. */
export function keptSnapshot(snapshot: string, limits: SnapshotLimits): string {
  if (snapshot.length <= limits.maxChars) return snapshot;
  const cut = snapshot.lastIndexOf('\n', limits.maxChars);
  const kept = snapshot.slice(0, cut > 0 ? cut : limits.maxChars);
  return (
    `${kept}\n- note: [snapshot cut at ${kept.length} of ${snapshot.length} characters (BROWSER_SNAPSHOT_MAX_CHARS): ` +
    'elements further down the page are not shown and have no refs; navigate to a smaller page or a part of it]'
  );
}

/** Page `page` (1-based) of a kept snapshot, whole lines of at most `pageChars`, with a marker if others exist. */
export function snapshotPage(kept: string, page: number, limits: SnapshotLimits): { text: string; pages: number } {
  const pages: string[] = [];
  let start = 0;
  while (start < kept.length) {
    let end = Math.min(kept.length, start + limits.pageChars);
    if (end < kept.length) {
      const lineEnd = kept.lastIndexOf('\n', end);
      end = lineEnd > start ? lineEnd + 1 : end;
    }
    pages.push(kept.slice(start, end));
    start = end;
  }
  if (pages.length <= 1) return { text: kept, pages: 1 };
  const text = pages[page - 1] ?? '';
  const next = page < pages.length ? `; call browser_snapshot with page ${page + 1} for the next part` : '';
  return {
    text: `${text.replace(/\n$/, '')}\n- note: [snapshot page ${page} of ${pages.length}${next}]`,
    pages: pages.length,
  };
}
