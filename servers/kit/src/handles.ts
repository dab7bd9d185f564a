/**
 * The life cycle of explicit state handles, the heart of sessionless MCP: mint an opaque id,
 * bind it to the caller's principal, enforce idle and absolute lifetimes on every access, keep
 * a tombstone so "expired" differs from "never existed", destroy, list the caller's own, cap
 * how many one principal may hold, and sweep what has lapsed.
 */
import { randomBytes } from 'node:crypto';
import { formatDuration } from './config.js';
import { DomainError, type HandleErrorCode } from './errors.js';
import type { HandleRecord, HandleStore } from './handle-store.js';

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
  now?: () => number;
  /** Called when a handle ends (destroy, expiry on access, sweep) so its kind can free its state. */
  onEnded?: (record: HandleRecord) => Promise<void> | void;
}

const RANDOM_BYTES = 16; // 128 bits, the SEP-2567 floor; base64url gives 22 characters.
const ID_PATTERN = /^([a-z]+)_([A-Za-z0-9_-]{22})$/;

export function mintId(prefix: string): string {
  return `${prefix}_${randomBytes(RANDOM_BYTES).toString('base64url')}`;
}

export class Handles {
  private readonly store: HandleStore;
  private readonly events: HandleEvents;
  private readonly tombstoneMs: number;
  private readonly now: () => number;
  private readonly onEnded: NonNullable<HandlesOptions['onEnded']>;

  constructor(options: HandlesOptions) {
    this.store = options.store;
    this.events = options.events ?? {};
    this.tombstoneMs = options.tombstoneMs ?? 7 * 86_400_000;
    this.now = options.now ?? Date.now;
    this.onEnded = options.onEnded ?? (() => {});
  }

  /** The sentence every `*_create` description carries, so the model sees the policy. */
  static lifetimeSentence(kind: HandleKind): string {
    return (
      `${capitalize(kind.noun)}s expire after ${formatDuration(kind.idleTtlMs)} without use ` +
      `and ${formatDuration(kind.absoluteTtlMs)} after creation; ` +
      `each user may hold ${kind.quotaPerPrincipal} at once.`
    );
  }

  async create(kind: HandleKind, principal: string): Promise<HandleRecord> {
    const now = this.now();
    const record: HandleRecord = {
      id: mintId(kind.prefix),
      kind: kind.prefix,
      principal,
      status: 'live',
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + kind.absoluteTtlMs,
      idleTtlMs: kind.idleTtlMs,
      endedAt: null,
    };
    if (!(await this.store.insertWithinQuota(record, kind.quotaPerPrincipal))) {
      throw this.refuse(
        kind,
        'QUOTA_EXCEEDED',
        `You already hold ${kind.quotaPerPrincipal} live ${kind.noun}s, the most allowed; ` +
          `destroy one you no longer need (see ${kind.listTool}) before calling ${kind.createTool} again.`,
      );
    }
    this.events.created?.(kind.prefix);
    return record;
  }

  /**
   * Returns the live handle `id` of `kind` owned by `principal`, refreshing its idle deadline,
   * or throws a DomainError that names the reason and the recovery.
   */
  async resolveOrThrow(kind: HandleKind, principal: string, id: string): Promise<HandleRecord> {
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
        `${capitalize(kind.noun)} ${id} has expired (${kind.noun}s last ${formatDuration(record.idleTtlMs)} ` +
          `without use); call ${kind.createTool} to start a new ${kind.noun}.`,
      );
    }
    if (record.status === 'destroyed') {
      throw this.refuse(
        kind,
        'HANDLE_DESTROYED',
        `${capitalize(kind.noun)} ${id} was destroyed; call ${kind.createTool} to start a new ${kind.noun}.`,
      );
    }
    // Touch at most a few times per idle window: one write per call would serialise readers on SQLite.
    if (now - record.lastUsedAt > Math.min(1_000, record.idleTtlMs / 10)) {
      await this.store.touch(id, now);
      record.lastUsedAt = now;
    }
    return record;
  }

  /**
   * Marks a handle used now. Tools whose calls can outlast a short idle TTL (a browser launch)
   * call it when they finish, so idle time counts from the end of the last call.
   */
  async touch(id: string): Promise<void> {
    await this.store.touch(id, this.now());
  }

  async destroy(kind: HandleKind, principal: string, id: string): Promise<HandleRecord> {
    const record = await this.resolveOrThrow(kind, principal, id);
    await this.endRecord(record, 'destroyed', this.now());
    return record;
  }

  async listMine(kind: HandleKind, principal: string): Promise<HandleRecord[]> {
    return this.store.listLive(principal, kind.prefix, this.now());
  }

  /** Ends every overdue handle (freeing its state) and purges old tombstones. */
  async sweep(): Promise<{ expired: number; purged: number }> {
    const now = this.now();
    const { expired, purged } = await this.store.sweep(now, now - this.tombstoneMs);
    for (const record of expired) {
      this.events.ended?.(record.kind, 'expired');
      await this.onEnded(record);
    }
    return { expired: expired.length, purged };
  }

  async countLive(): Promise<Map<string, number>> {
    return this.store.countLive(this.now());
  }

  /** Runs `sweep` every `intervalMs` until the returned function is called. */
  startSweeper(intervalMs: number, onError: (error: unknown) => void): () => void {
    const timer = setInterval(() => void this.sweep().catch(onError), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async endRecord(record: HandleRecord, status: 'expired' | 'destroyed', now: number): Promise<void> {
    // Only the caller that flips the row frees the state, so racing instances free it once.
    if (await this.store.end(record.id, status, now)) {
      this.events.ended?.(record.kind, status);
      await this.onEnded(record);
    }
  }

  private refuse(kind: HandleKind, code: HandleErrorCode, message: string): DomainError {
    this.events.refused?.(kind.prefix, code);
    return new DomainError(code, message);
  }
}

function isOverdue(record: HandleRecord, now: number): boolean {
  return record.expiresAt <= now || record.lastUsedAt + record.idleTtlMs <= now;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
