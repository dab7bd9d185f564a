/**
 * A browser record as both stores keep it: one row, its structured parts as JSON text, and the
 * conversions both ways. No SQL here; the statements live in each store.
 */
import type { BrowserRecord, Fill, PageState, StorageState } from './store.js';

export interface BrowserRow {
  id: string;
  viewport: string;
  url: string;
  history: string;
  storage: string;
  fills: string;
  snapshot: string | null;
  snapshot_version: number | null;
  version: number;
}

export function fromRow(row: BrowserRow): BrowserRecord {
  return {
    id: row.id,
    viewport: JSON.parse(row.viewport) as BrowserRecord['viewport'],
    url: row.url,
    history: JSON.parse(row.history) as string[],
    storage: JSON.parse(row.storage) as StorageState,
    fills: JSON.parse(row.fills) as Fill[],
    snapshot: row.snapshot,
    snapshotVersion: row.snapshot_version,
    version: row.version,
  };
}

export function toRow(record: BrowserRecord): BrowserRow {
  return {
    ...serialize(record),
    id: record.id,
    viewport: JSON.stringify(record.viewport),
    snapshot_version: record.snapshotVersion,
    version: record.version,
  };
}

/** The columns a page change rewrites. */
export function serialize(state: PageState) {
  return {
    url: state.url,
    history: JSON.stringify(state.history),
    storage: JSON.stringify(state.storage),
    fills: JSON.stringify(state.fills),
    snapshot: state.snapshot,
  };
}
