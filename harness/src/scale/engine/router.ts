/**
 * How the load generator picks an instance, as a gateway would. `round-robin` turns per handle, so
 * consecutive calls on one handle land on different instances (the strictest test of "any instance
 * can serve any handle"); `least-connections` picks the one with the fewest of our calls in flight;
 * `affinity` hashes a handle over the live instances (rendezvous), so when one dies only its handles
 * move, and a key seen answered (`learn`, a session id) sticks where it was. An instance that failed
 * to answer is left out for a while, longer while it keeps failing.
 */
/** One instance of a server, as far as routing cares (a fleet's Replica is one). */
export interface Replica {
  url: string;
  origin: string;
  /** 0-based position among the K instances. */
  instance: number;
  pid?: number;
  /** The simulated host it runs on (1-based), when spread over hosts. */
  host?: number;
}

export type ClientRouting = 'round-robin' | 'least-connections' | 'affinity';

/** Out for 1 s after a failure, doubling while it keeps failing (up to 30 s), as a health check backs off. */
const DOWN_FOR_MS = 1_000;
const MAX_DOWN_MS = 30_000;

export class Router {
  private readonly turns = new Map<string, number>();
  private readonly sticky = new Map<string, number>();
  private readonly downUntil: number[];
  private readonly failures: number[];
  private readonly inFlight: number[];
  private tieBreak = 0;

  constructor(
    readonly instances: readonly Replica[],
    readonly routing: ClientRouting,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.downUntil = instances.map(() => 0);
    this.failures = instances.map(() => 0);
    this.inFlight = instances.map(() => 0);
  }

  /** The instance for a request on `key` (a handle or session id; "" for calls without one). */
  pick(key: string, avoid?: Replica): Replica {
    const live = this.live(avoid);
    if (this.routing === 'least-connections') return this.leastBusy(live);
    // A request about no handle (a create, a search, a session's initialize) may go anywhere: spread it.
    if (this.routing === 'round-robin' || key === '') {
      const turn = this.turns.get(key) ?? hash(key);
      this.turns.set(key, turn + 1);
      if (this.turns.size > 100_000) this.turns.clear();
      return live[turn % live.length]!;
    }
    // A pinned instance that is down no longer holds the key: the request goes where the hash says.
    const learned = this.sticky.get(key);
    const pinned = learned === undefined ? undefined : live.find((e) => e.instance === learned);
    return pinned ?? highestScore(key, live);
  }

  /** A call was sent to `endpoint`; `finished` when its answer (or failure) is in. */
  started(endpoint: Replica): void {
    this.inFlight[endpoint.instance]! += 1;
  }

  finished(endpoint: Replica): void {
    this.inFlight[endpoint.instance]! -= 1;
  }

  /** Pins `key` to the instance that answered it (sticky sessions); only used under affinity. */
  learn(key: string, endpoint: Replica): void {
    if (this.routing === 'affinity') this.sticky.set(key, endpoint.instance);
  }

  /** Leaves an instance out for a moment after it failed to answer, longer each time in a row. */
  markDown(endpoint: Replica): void {
    const failures = ++this.failures[endpoint.instance]!;
    this.downUntil[endpoint.instance] = this.now() + Math.min(MAX_DOWN_MS, DOWN_FOR_MS * 2 ** (failures - 1));
  }

  /** It answered: back in full service. */
  markUp(endpoint: Replica): void {
    this.failures[endpoint.instance] = 0;
  }

  /** Fewest calls in flight; among equals, the turn moves on, so an idle fleet is still spread. */
  private leastBusy(live: Replica[]): Replica {
    const start = this.tieBreak++ % live.length;
    let best = live[start]!;
    for (let i = 1; i < live.length; i++) {
      const candidate = live[(start + i) % live.length]!;
      if (this.inFlight[candidate.instance]! < this.inFlight[best.instance]!) best = candidate;
    }
    return best;
  }

  private live(avoid?: Replica): Replica[] {
    const now = this.now();
    const up = this.instances.filter((e) => this.downUntil[e.instance]! <= now && e !== avoid);
    if (up.length > 0) return up;
    // All down: try the others anyway rather than fail without a request.
    const others = this.instances.filter((e) => e !== avoid);
    return others.length > 0 ? others : [...this.instances];
  }
}

/** Rendezvous (highest random weight) hashing: each key goes to the instance that scores it highest. */
function highestScore(key: string, candidates: Replica[]): Replica {
  let best = candidates[0]!;
  let bestScore = -1;
  for (const candidate of candidates) {
    const score = hash(`${candidate.instance}:${key}`);
    if (score > bestScore) [best, bestScore] = [candidate, score];
  }
  return best;
}

/** FNV-1a, 32 bits: fast and evenly spread, which is all routing needs (not a security hash). */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
