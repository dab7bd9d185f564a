/**
 * Text typed into fields, as a browser keeps it: one current value per field (typing into a field
 * again replaces its text, as it does on the page), so a rebuilt page types each field once, found
 * in a single fresh snapshot, whatever number of fills came before. Fields per page are bounded.
 */
import type { Page } from 'playwright-core';
import { elementGone } from './errors.js';
import { parseRefs, type RefTarget } from './snapshot.js';
import type { BrowserRecord, Fill } from './store.js';

/** Fields are told apart by role, accessible name and position, as refs are. */
function fieldKey(target: RefTarget): string {
  return `${target.role}\u0000${target.name}\u0000${target.nth}`;
}

/** The fills after typing `fill`: each field keeps only its current text. */
export function withFill(fills: readonly Fill[], fill: Fill): Fill[] {
  return [...fills.filter((other) => fieldKey(other) !== fieldKey(fill)), fill];
}

/** Whether typing into `target` keeps the page within `maxFields` filled fields. */
export function roomForFill(fills: readonly Fill[], target: RefTarget, maxFields: number): boolean {
  return fills.length < maxFields || fills.some((other) => fieldKey(other) === fieldKey(target));
}

/** Types each saved field's text into a rebuilt page; returns the snapshot whose refs it used. */
export async function refill(page: Page, record: BrowserRecord): Promise<string> {
  const fresh = await page.ariaSnapshot({ mode: 'ai' });
  const refs = new Map([...parseRefs(fresh)].map(([ref, target]) => [fieldKey(target), ref]));
  for (const fill of record.fills) {
    const ref = refs.get(fieldKey(fill));
    if (!ref) throw elementGone(record.id, fill);
    await page.locator(`aria-ref=${ref}`).fill(fill.text);
  }
  return fresh;
}
