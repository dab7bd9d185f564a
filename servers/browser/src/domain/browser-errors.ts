/**
 * How browser failures reach the model. Playwright's errors (an unknown key, a timeout, a page
 * that did not load) become DomainErrors with stable codes and a recovery sentence; a refusal
 * raised before the page was touched is marked so the pool keeps its live context.
 */
import { DomainError } from '@sessionless/kit';

/** A refusal raised before the page was touched: the live context is still in step with the record. */
export class PageUntouchedError extends DomainError {}

export function toDomainError(error: unknown, id: string): unknown {
  if (error instanceof DomainError) return error;
  if (!(error instanceof Error)) return error;
  const first = error.message.split('\n')[0] ?? '';
  if (/Unknown key/i.test(first)) {
    return new DomainError(
      'KEY_UNKNOWN',
      `${first.replace(/^.*?Unknown key/i, 'Unknown key')}; use a key name such as Enter, Tab, Escape, ArrowDown, Backspace or a character, optionally with modifiers like Control+A.`,
    );
  }
  if (error.name === 'TimeoutError') {
    return new DomainError(
      'ACTION_TIMEOUT',
      `Browser ${id}: the action did not complete in time (${first}); call browser_snapshot and try another element.`,
    );
  }
  if (/net::ERR_/.test(first)) {
    return new DomainError(
      'NAVIGATION_FAILED',
      `Browser ${id} could not load the page: ${first.replace(/^.*?(net::ERR_\w+).*$/, '$1')}; check the URL and that the site is up.`,
    );
  }
  return error;
}
