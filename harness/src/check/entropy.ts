/**
 * How many random bits a sample of handle ids can show: the kind prefix the ids share is set
 * aside, the rest is read in the smallest usual alphabet that holds every character, and what the
 * sample shows is not random comes off: runs of positions equal in every id (a timestamp's or a
 * counter's leading digits), time-based UUIDs, digits that read as the current time.
 */

export interface EntropyEstimate {
  /** Random bits per id, as far as the sample shows. */
  bits: number;
  sample: number;
  /** The prefix every id shares (`cart_`), not counted. */
  prefix: string;
  /** Characters after the prefix (the shortest id's). */
  length: number;
  alphabet: string;
  /** Positions equal in every id, in runs long enough that chance alone would make one less than once in ten million samples. */
  fixedPositions: number;
  /** Sentences on what is not random: "a UUIDv7, which starts with a timestamp". */
  findings: string[];
}

const ALPHABETS: Array<[string, RegExp, number]> = [
  ['decimal digits', /^[0-9]*$/, 10],
  ['hex', /^[0-9a-f]*$/, 16],
  ['hex', /^[0-9A-F]*$/, 16],
  ['base32', /^[A-Z2-7]*$/, 32],
  ['base32', /^[a-z2-7]*$/, 32],
  ['base36', /^[0-9a-z]*$/, 36],
  ['base36', /^[0-9A-Z]*$/, 36],
  ['base58', /^[1-9A-HJ-NP-Za-km-z]*$/, 58],
  ['base62', /^[0-9A-Za-z]*$/, 62],
  ['base64url', /^[0-9A-Za-z_-]*$/, 64],
  ['base64', /^[0-9A-Za-z+/]*=*$/, 64],
  ['printable ASCII', /^[\x20-\x7e]*$/, 95],
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Random bits left in a UUID of each version (v4: 122; v7: 74 after its 48-bit millisecond time). */
const UUID_BITS: Record<string, number> = { '4': 122, '7': 74, '1': 14, '6': 14 };

export function estimateEntropy(ids: string[], now: number = Date.now()): EntropyEstimate {
  const prefix = sharedPrefix(ids);
  const bodies = ids.map((id) => id.slice(prefix.length));
  const length = Math.min(...bodies.map((b) => b.length));
  const findings: string[] = [];

  const uuids = bodies.map((b) => UUID.exec(b));
  if (uuids.every((m) => m !== null)) {
    const version = uuids[0]![1]!;
    const bits = UUID_BITS[version] ?? 122;
    if (version !== '4') findings.push(`they are UUIDv${version}s, which carry a timestamp`);
    else findings.push('they are UUIDv4s: 122 random bits, 6 fixed');
    return { bits, sample: ids.length, prefix, length, alphabet: 'UUID', fixedPositions: 0, findings };
  }

  const joined = bodies.join('');
  const [alphabet, , size] = ALPHABETS.find(([, pattern]) => pattern.test(joined)) ?? ['bytes', /./, 256];
  const fixedPositions = ids.length >= 2 ? fixedRuns(bodies, length, size) : 0;
  if (fixedPositions)
    findings.push(`${fixedPositions} characters were the same in every id (a counter or a timestamp?)`);
  const clock = bodies.find((b) => readsAsNow(b, now));
  if (clock) findings.push(`"${clock}" holds digits that read as the current time`);
  const bits = Math.max(0, (length - fixedPositions) * Math.log2(size) - (clock ? 32 : 0));
  return { bits: Math.floor(bits), sample: ids.length, prefix, length, alphabet, fixedPositions, findings };
}

/** The kind prefix: words and separators every id starts with (`cart_`, `ws-`, `urn:note:`). */
function sharedPrefix(ids: string[]): string {
  let common = ids[0]!;
  for (const id of ids) while (!id.startsWith(common)) common = common.slice(0, -1);
  // One id shows no common part: take its leading word, if it has one.
  if (ids.length === 1) return /^[A-Za-z]+[_:.-]/.exec(common)?.[0] ?? '';
  return /^([A-Za-z]+[_:.-])+/.exec(common)?.[0] ?? '';
}

/**
 * Positions where every body has the same character, counted only in runs of at least `minimum`
 * characters: random ids agree on one position with chance size^-(n-1), so a run that long would
 * turn up by chance less than once in ten million samples, and a counter or a clock still shows.
 */
function fixedRuns(bodies: string[], length: number, size: number): number {
  const chance = size ** -(bodies.length - 1);
  let minimum = 2;
  while (length * chance ** minimum >= 1e-7) minimum++;
  const same = Array.from({ length }, (_, i) => bodies.every((b) => b[i] === bodies[0]![i]));
  let fixed = 0;
  for (let i = 0; i < length;) {
    let end = i;
    while (end < length && same[end]) end++;
    if (end - i >= minimum) fixed += end - i;
    i = Math.max(end, i + 1);
  }
  return fixed;
}

/** Ten or more digits that are a Unix time in seconds or milliseconds within a year of now. */
function readsAsNow(body: string, now: number): boolean {
  const year = 365 * 86_400_000;
  return [...body.matchAll(/\d{10,13}/g)].some(([digits]) => {
    const n = Number(digits);
    return [n * 1000, n].some((ms) => Math.abs(ms - now) < year);
  });
}
