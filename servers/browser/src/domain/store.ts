/**
 * What the browser tools need from storage: the durable part of a browser handle, saved after
 * every call that changes the page: viewport, URL, history, cookies and local storage
 * (Playwright's storage state), text typed into fields since the last navigation, and the last
 * snapshot (to resolve its refs anywhere). `version` counts page changes; saving requires the
 * version that was read, so two instances cannot both advance the same browser from the same state.
 */
import type { StoreTx } from '@sessionless/kit';
import type { RefTarget } from './snapshot.js';

export interface StorageState {
  cookies: Array<Record<string, unknown>>;
  origins: Array<{ origin: string; localStorage: Array<{ name: string; value: string }> }>;
}

export interface Fill extends RefTarget {
  text: string;
}

export interface BrowserRecord {
  id: string;
  viewport: { width: number; height: number };
  url: string;
  history: string[];
  storage: StorageState;
  fills: Fill[];
  snapshot: string | null;
  /** The page version the snapshot was taken at; refs are valid only while it equals `version`. */
  snapshotVersion: number | null;
  version: number;
}

export type PageState = Pick<BrowserRecord, 'url' | 'history' | 'storage' | 'fills' | 'snapshot'>;

export interface BrowserStore {
  /** Writes a new browser's record, inside the transaction that inserts its handle. */
  create(tx: StoreTx, record: BrowserRecord): void | Promise<void>;
  get(id: string): Promise<BrowserRecord | undefined>;
  /** Saves a changed page; returns the new version, or throws if someone else saved first. */
  savePage(id: string, expectedVersion: number, state: PageState): Promise<number>;
  /** Saves a snapshot of an unchanged page (no version change). */
  saveSnapshot(id: string, version: number, snapshot: string): Promise<void>;
  /** Deletes a browser's record, inside the transaction that ends its handle. */
  remove(tx: StoreTx, id: string): void | Promise<void>;
}
