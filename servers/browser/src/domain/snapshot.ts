/**
 * Element refs that survive a change of instance. Playwright's AI snapshot labels elements
 * `[ref=eN]`, but those refs live inside one page. We save the snapshot text with the browser
 * record and describe each ref by what does not depend on the page object: its role, its
 * accessible name and its position among elements with the same role and name. Another
 * instance re-snapshots its own copy of the page and finds the element with the same description.
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
