/**
 * The life cycle of explicit state handles, the heart of sessionless MCP: mint an opaque id,
 * bind it to the caller's principal, enforce idle and absolute lifetimes on every access, keep
 * a tombstone so "expired" differs from "never existed", destroy, list the caller's own, cap
 * how many one principal may hold, and sweep what has lapsed. A handle never lapses while a call
 * on it runs: its idle clock restarts when the call ends, and the store knows the call is in flight.
 * Kept as one file (a little over 300 lines): every rule acts on the same few paths (create, get,
 * touch, destroy, sweep) and reads best beside them.
 */
import { randomBytes } from 'node:crypto';
import { formatDuration } from './config.js';
import { DomainError, type HandleErrorCode } from './errors.js';
import type { HandleRecord, HandleStore, StateWriter, StoreTx } from './handle-store.js';

export interface HandleKind {
  /** Id prefix and kind name, e.g. `cart` gives ids like `cart_Vb3...`. Lowercase letters only. */
  prefix: string;
  /** What the model calls it in error sentences: "cart", "workspace", "browser". */
  noun: string;
  /** The tool that mints a new one, named in every recovery hint. */
  createTool: string;
  /** The tool that lists the caller's live handles of this kind. */
  listTool: string;
  /** The argument name that carries the handle, e.g. `cart_id`. */
  idArgument: string;
  idleTtlMs: number;
  absoluteTtlMs: number;
  /** Live handles of this kind one principal may hold at once. */
  quotaPerPrincipal: number;
  /** The kind's own state, freed when a handle ends. */
  state?: HandleState;
}

export interface HandleState {
  /** Deletes the kind's rows for an ended handle, inside the transaction that ends it. */
  remove(tx: StoreTx, handle: HandleRecord): void | Promise<void>;
  /** Frees what lives outside the store (a live browser context) once that transaction committed. */
  release?(handle: HandleRecord): Promise<void>;
}

/** The call a handle is used by: who makes it, and clean-up that runs when it ends, whatever its outcome. */
export interface Call {
  principal: string;
  atEnd(task: () => Promise<void>): void;
}

/**
 * A call and its clean-up list. `end()` runs every task once, in order; a failing task does not
 * stop the others: it goes to `onError`, or, without one, the first failure is thrown at the end.
 */
export function startCall(principal: string): Call & { end(onError?: (error: unknown) => void): Promise<void> } {
  const tasks: Array<() => Promise<void>> = [];
  return {
    principal,
    atEnd: (task) => void tasks.push(task),
    async end(onError) {
      const failures: unknown[] = [];
      for (const task of tasks.splice(0)) await task().catch((error: unknown) => failures.push(error));
      if (onError) failures.forEach(onError);
      else if (failures.length) throw failures[0];
    },
  };
}

export interface HandleEvents {
  created?(kind: string): void;
  ended?(kind: string, reason: 'destroyed' | 'expired'): void;
  refused?(kind: string, code: HandleErrorCode): void;
}

export interface HandlesOptions {
  store: HandleStore;
  events?: HandleEvents;
  /** How long a tombstone is kept after a handle ends, to answer "expired" rather than "not found". */
  tombstoneMs?: number;
  /**
   * The longest a call is protected from expiry. A call that starts closer than this to its
   * handle's deadline records a lease in the store; calls are bounded well below it (the
   * browser's slowest step is a 15 s navigation), and a crashed instance's leases lapse after it.
   */
  callLeaseMs?: number;
  now?: () => number;
}

const RANDOM_BYTES = 16; // 128 bits, the SEP-2567 floor; base64url gives 22 characters.
const ID_PATTERN = /^([a-z]+)_([A-Za-z0-9_-]{22})$/;
/** Handles ended (or tombstones purged) per sweep transaction, so no sweep holds the write lock long. */
const SWEEP_BATCH = 100;

export function mintId(prefix: string): string {
  return `${prefix}_${randomBytes(RANDOM_BYTES).toString('base64url')}`;
}

export class Handles {
  private readonly store: HandleStore;
  private readonly events: HandleEvents;
  private readonly tombstoneMs: number;
  private readonly callLeaseMs: number;
  private readonly kinds = new Map<string, HandleKind>();
  readonly now: () => number;

  constructor(options: HandlesOptions) {
    this.store = options.store;
    this.events = options.events ?? {};
    this.tombstoneMs = options.tombstoneMs ?? 7 * 86_400_000;
    this.callLeaseMs = options.callLeaseMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The sentence every `*_create` description carries, so the model sees the policy. */
  static lifetimeSentence(kind: HandleKind): string {
    return (
      `${capitalize(kind.noun)}s expire after ${formatDuration(kind.idleTtlMs)} without use ` +
      `and ${formatDuration(kind.absoluteTtlMs)} after creation; ` +
      `each user may hold ${kind.quotaPerPrincipal} at once.`
    );
  }

  /** Makes the sweeper free this kind's state; `create` and `resolveOrThrow` register their kind too. */
  register(kind: HandleKind): void {
    this.kinds.set(kind.prefix, kind);
  }

  /**
   * Mints a handle for `call` and writes the kind's own rows in the same transaction
   * (`createState`), so a failure leaves neither. The handle counts as in use until the call ends.
   */
  async create<T = void>(
    kind: HandleKind,
    call: Call,
    createState?: (tx: StoreTx, handle: HandleRecord) => T | Promise<T>,
  ): Promise<{ handle: HandleRecord; state: T }> {
    this.register(kind);
    const now = this.now();
    const handle: HandleRecord = {
      id: mintId(kind.prefix),
      kind: kind.prefix,
      principal: call.principal,
      status: 'live',
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + kind.absoluteTtlMs,
      idleTtlMs: kind.idleTtlMs,
      endedAt: null,
      // A create may be slow (a browser launch): it holds a lease like any call.
      callsInFlight: 1,
      leaseUntil: now + this.callLeaseMs,
    };
    const writer: StateWriter<T> = (tx) => (createState ? createState(tx, handle) : (undefined as T));
    const outcome = await this.store.insertWithinQuota(handle, kind.quotaPerPrincipal, writer);
    if (!outcome.inserted) {
      throw this.refuse(
        kind,
        'QUOTA_EXCEEDED',
        `You already hold ${kind.quotaPerPrincipal} live ${kind.noun}s, the most allowed; ` +
          `destroy one you no longer need (see ${kind.listTool}) before calling ${kind.createTool} again.`,
      );
    }
    this.events.created?.(kind.prefix);
    call.atEnd(() => this.store.finish(handle.id, this.now()));
    return { handle, state: outcome.state };
  }

  /**
   * Returns the live handle `id` of `kind` owned by the caller, or throws a DomainError that
   * names the reason and the recovery. The handle cannot lapse until `call` ends, and its idle
   * clock restarts then.
   */
  async resolveOrThrow(kind: HandleKind, call: Call, id: string): Promise<HandleRecord> {
    const record = await this.lookupOrThrow(kind, call.principal, id);
    const now = this.now();
    // Only a call that starts near its handle's deadline needs the store to know it is running;
    // any other call ends (calls are bounded) long before the handle could lapse.
    const leased = deadlineOf(record) - now <= this.callLeaseMs;
    if (leased && !(await this.store.begin(id, now, now + this.callLeaseMs))) {
      // It lapsed between the read and the lease (another instance swept it): answer as it is now.
      return this.resolveOrThrow(kind, call, id);
    }
    call.atEnd(async () => {
      const ended = this.now();
      if (leased) return this.store.finish(id, ended);
      // One write per call would serialise readers on SQLite; restarting the clock a little early is harmless.
      if (ended - record.lastUsedAt > Math.min(1_000, record.idleTtlMs / 100)) await this.store.touch(id, ended);
    });
    return record;
  }

  /** Ends the handle and frees its state, whatever calls on it are still running. */
  async destroy(kind: HandleKind, call: Call, id: string): Promise<HandleRecord> {
    const record = await this.lookupOrThrow(kind, call.principal, id);
    await this.endRecord(record, 'destroyed', this.now());
    return record;
  }

  async listMine(kind: HandleKind, principal: string): Promise<HandleRecord[]> {
    return this.store.listLive(principal, kind.prefix, this.now());
  }

  /**
   * Ends every overdue handle with no call in flight (freeing its state), in batches, and purges
   * old tombstones.
   */
  async sweep(): Promise<{ expired: number; purged: number }> {
    const now = this.now();
    let expired = 0;
    for (let more = true; more;) {
      const batch = await this.store.expireOverdue(now, SWEEP_BATCH, (tx, record) =>
        this.kinds.get(record.kind)?.state?.remove(tx, record),
      );
      for (const record of batch) await this.afterEnd(this.kinds.get(record.kind), record, 'expired');
      expired += batch.length;
      more = batch.length === SWEEP_BATCH;
    }
    let purged = 0;
    for (let more = true; more;) {
      const count = await this.store.purgeTombstones(now - this.tombstoneMs, SWEEP_BATCH);
      purged += count;
      more = count === SWEEP_BATCH;
    }
    return { expired, purged };
  }

  async countLive(): Promise<Map<string, number>> {
    return this.store.countLive(this.now());
  }

  /** Runs `sweep` every `intervalMs` until the returned function is called. */
  startSweeper(intervalMs: number, onError: (error: unknown) => void): () => void {
    // Node fires a longer interval (over 24.8 days) every millisecond instead: cap it.
    const timer = setInterval(() => void this.sweep().catch(onError), Math.min(intervalMs, 2 ** 31 - 1));
    timer.unref();
    return () => clearInterval(timer);
  }

  private async lookupOrThrow(kind: HandleKind, principal: string, id: string): Promise<HandleRecord> {
    this.register(kind);
    const match = ID_PATTERN.exec(id);
    if (!match) {
      throw this.refuse(
        kind,
        'HANDLE_MALFORMED',
        `${JSON.stringify(truncate(id))} is not a ${kind.noun} id: ${kind.noun} ids are "${kind.prefix}_" followed by ` +
          `22 characters; pass the ${kind.idArgument} returned by ${kind.createTool}, or call ${kind.listTool} to find yours.`,
      );
    }
    if (match[1] !== kind.prefix) {
      throw this.refuse(
        kind,
        'HANDLE_WRONG_KIND',
        `"${truncate(id)}" starts with "${match[1]}_", so it is not a ${kind.noun} id; pass the ${kind.idArgument} returned by ` +
          `${kind.createTool}, or call ${kind.listTool} to find yours.`,
      );
    }
    const record = await this.store.get(id);
    // Another principal's handle is answered exactly like one that never existed: no existence leak.
    if (!record || record.principal !== principal || record.kind !== kind.prefix) {
      throw this.refuse(
        kind,
        'HANDLE_NOT_FOUND',
        `${capitalize(kind.noun)} ${id} was not found; call ${kind.createTool} to start a new ${kind.noun}, ` +
          `or ${kind.listTool} to see the ${kind.noun}s you hold.`,
      );
    }
    const now = this.now();
    if (record.status === 'live' && isOverdue(record, now)) {
      await this.endRecord(record, 'expired', now);
      record.status = 'expired';
    }
    if (record.status === 'expired') {
      throw this.refuse(
        kind,
        'HANDLE_EXPIRED',
        `${capitalize(kind.noun)} ${id} has expired: ${whyExpired(record)}; call ${kind.createTool} to start a new ${kind.noun}.`,
      );
    }
    if (record.status === 'destroyed') {
      throw this.refuse(
        kind,
        'HANDLE_DESTROYED',
        `${capitalize(kind.noun)} ${id} was destroyed; call ${kind.createTool} to start a new ${kind.noun}.`,
      );
    }
    return record;
  }

  private async endRecord(record: HandleRecord, status: 'expired' | 'destroyed', now: number): Promise<void> {
    const kind = this.kinds.get(record.kind);
    // Only the caller that flips the row frees the state, so racing instances free it once.
    if (await this.store.end(record.id, status, now, (tx) => kind?.state?.remove(tx, record))) {
      await this.afterEnd(kind, record, status);
    }
  }

  private async afterEnd(kind: HandleKind | undefined, record: HandleRecord, reason: 'expired' | 'destroyed') {
    this.events.ended?.(record.kind, reason);
    await kind?.state?.release?.(record);
  }

  private refuse(kind: HandleKind, code: HandleErrorCode, message: string): DomainError {
    this.events.refused?.(kind.prefix, code);
    return new DomainError(code, message);
  }
}

/** When the handle lapses if no call is in flight: the earlier of its idle and absolute deadlines. */
function deadlineOf(record: HandleRecord): number {
  return Math.min(record.lastUsedAt + record.idleTtlMs, record.expiresAt);
}

function isOverdue(record: HandleRecord, now: number): boolean {
  const inFlight = record.callsInFlight > 0 && record.leaseUntil > now;
  return !inFlight && deadlineOf(record) <= now;
}

/** Which limit ended an expired handle: the one whose deadline came first. */
function whyExpired(record: HandleRecord): string {
  const lifetime = record.expiresAt - record.createdAt;
  return record.expiresAt <= record.lastUsedAt + record.idleTtlMs
    ? `it reached its ${formatDuration(lifetime)} lifetime`
    : `it was unused for ${formatDuration(record.idleTtlMs)}`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
