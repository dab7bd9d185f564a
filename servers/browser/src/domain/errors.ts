/**
 * The browser server's one error catalogue: every code it can return (the kit's handle codes
 * included), when, and the way out; the README's errors table is generated from it. Below it,
 * each refusal's sentence builder, and how Playwright's own errors (an unknown key, a timeout, a
 * page that did not load) become refusals. A refusal raised before the page was touched is a
 * `PageUntouchedError`, so the pool keeps its live context.
 */
import { defineErrors, DomainError, KIT_ERRORS } from '@sessionless/kit';
import type { RefTarget } from './snapshot.js';

export const BROWSER_ERRORS = defineErrors({
  ...KIT_ERRORS,
  URL_INVALID: { when: 'The URL is not an absolute URL.', wayOut: 'Pass a full URL such as http://127.0.0.1:4173/.' },
  NAVIGATION_REFUSED: {
    when: 'The URL (or a page it redirects or navigates to) is not on the allow-list, or its scheme is not http(s).',
    wayOut: 'Open a page on the allow-list, which the create tool description names.',
  },
  NAVIGATION_FAILED: {
    when: 'The page could not be loaded (connection refused, DNS, TLS...).',
    wayOut: 'Check the URL and that the site is up.',
  },
  NO_SNAPSHOT: {
    when: 'A click or fill before any snapshot was taken.',
    wayOut: 'Call browser_snapshot and use a ref from it.',
  },
  REF_NOT_FOUND: {
    when: 'The ref is not in the last snapshot.',
    wayOut: 'Use a ref shown by browser_snapshot (like "e5").',
  },
  REF_STALE: {
    when: 'The page changed since the snapshot, or the element is no longer on it.',
    wayOut: 'Call browser_snapshot and use a ref from the new one.',
  },
  KEY_UNKNOWN: {
    when: 'browser_press names a key Playwright does not know.',
    wayOut: 'Use a key name such as Enter, Tab or ArrowDown.',
  },
  ACTION_TIMEOUT: {
    when: 'A click, fill or press did not complete in time.',
    wayOut: 'Call browser_snapshot and try another element.',
  },
  NOTHING_TO_GO_BACK: {
    when: 'browser_back on the first page of the history.',
    wayOut: 'Use browser_navigate instead.',
  },
  NOT_FILLABLE: {
    when: 'browser_fill on an element that takes no text (a link, a button, a heading).',
    wayOut: 'Fill a textbox, searchbox or textarea ref from the last browser_snapshot.',
  },
  TOO_MANY_FIELDS: {
    when: 'browser_fill on a new field when BROWSER_MAX_FIELDS fields of the page already hold typed text.',
    wayOut: 'Submit the form or navigate (which clears the fields), or fill a field already filled.',
  },
  SNAPSHOT_PAGE_INVALID: {
    when: 'browser_snapshot asked for a page past the last page of the snapshot.',
    wayOut: 'Ask for a page from 1 to the number the last marker names.',
  },
  BROWSER_BUSY: {
    when: 'Two calls on different instances changed the same browser at once; this one lost.',
    wayOut: 'Call browser_snapshot to see where it is now, then retry.',
  },
});

export type BrowserErrorCode = keyof typeof BROWSER_ERRORS;

/** A refusal raised before the page was touched: the live context is still in step with the record. */
export class PageUntouchedError extends DomainError<BrowserErrorCode> {}

function refuse(code: BrowserErrorCode, message: string): DomainError {
  return new DomainError(code, message);
}

/** The handle was checked first, so a missing record means the browser ended between the two reads. */
export function browserNotFound(id: string): DomainError {
  return refuse('HANDLE_NOT_FOUND', `Browser ${id} was not found; call browser_create to start a new browser.`);
}

/** A URL the allow-list refused before anything was fetched from it. */
export function cannotOpen(url: string, code: 'URL_INVALID' | 'NAVIGATION_REFUSED', reason: string): DomainError {
  return new PageUntouchedError(code, `Cannot open ${JSON.stringify(url.slice(0, 200))}: ${reason}.`);
}

/** A page that moved itself (a redirect, a click) to a refused address. */
export function pageTriedRefused(url: string, reason: string): DomainError {
  return refuse(
    'NAVIGATION_REFUSED',
    `The page tried to open ${url}, which is refused: ${reason}. The browser stays on the previous page.`,
  );
}

/** A page that, after the last call returned, moved itself (a timer, a script) to a refused address. */
export function pageMovedAway(id: string, url: string, reason: string, savedUrl: string): DomainError {
  return refuse(
    'NAVIGATION_REFUSED',
    `After your last call, the page in browser ${id} moved itself to ${url.slice(0, 200)}, which is refused: ` +
      `${reason}. Nothing of it was kept: the browser is back at its last saved page, ${savedUrl}, and this ` +
      'call did nothing; call it again.',
  );
}

export function tooManyFields(id: string, max: number): DomainError {
  return new PageUntouchedError(
    'TOO_MANY_FIELDS',
    `The page in browser ${id} already has text typed into ${max} fields, the most kept per page ` +
      '(BROWSER_MAX_FIELDS); submit the form or navigate first, or fill one of those fields again.',
  );
}

export function snapshotPageInvalid(id: string, page: number, pages: number): DomainError {
  return refuse(
    'SNAPSHOT_PAGE_INVALID',
    `The snapshot of browser ${id} has ${pages} page${pages === 1 ? '' : 's'}, so there is no page ${page}; ` +
      `ask for a page from 1 to ${pages}.`,
  );
}

export function noSnapshot(id: string): DomainError {
  return new PageUntouchedError(
    'NO_SNAPSHOT',
    `Browser ${id} has no snapshot yet; call browser_snapshot and use a ref from it.`,
  );
}

export function snapshotOutdated(id: string): DomainError {
  return new PageUntouchedError(
    'REF_STALE',
    `The page in browser ${id} changed since the last snapshot; call browser_snapshot and use a ref from the new one.`,
  );
}

export function refNotFound(id: string, ref: string): DomainError {
  return new PageUntouchedError(
    'REF_NOT_FOUND',
    `Ref ${JSON.stringify(ref)} is not in the last snapshot of browser ${id}; use a ref shown by browser_snapshot (like "e5").`,
  );
}

export function elementGone(id: string, target: RefTarget): DomainError {
  return refuse(
    'REF_STALE',
    `The element ${target.role} "${target.name}" is no longer on the page in browser ${id}; call browser_snapshot and use a ref from the new one.`,
  );
}

export function nothingToGoBack(id: string): DomainError {
  return new PageUntouchedError(
    'NOTHING_TO_GO_BACK',
    `Browser ${id} has no previous page; use browser_navigate instead.`,
  );
}

export function browserBusy(id: string): DomainError {
  return refuse(
    'BROWSER_BUSY',
    `Browser ${id} was changed by another call at the same time; call browser_snapshot to see where it is now, then retry.`,
  );
}

/** Playwright's errors as refusals; anything else is left as it is (a bug, reported as INTERNAL). */
export function toDomainError(error: unknown, id: string): unknown {
  if (error instanceof DomainError) return error;
  if (!(error instanceof Error)) return error;
  const first = error.message.split('\n')[0] ?? '';
  if (/Unknown key/i.test(first)) {
    return refuse(
      'KEY_UNKNOWN',
      `${first.replace(/^.*?Unknown key/i, 'Unknown key')}; use a key name such as Enter, Tab, Escape, ArrowDown, Backspace or a character, optionally with modifiers like Control+A.`,
    );
  }
  if (/Element is not an <input>/i.test(first)) {
    return new PageUntouchedError(
      'NOT_FILLABLE',
      `Browser ${id}: that element takes no text, so nothing was typed; fill a textbox, searchbox or textarea ref ` +
        'from the last browser_snapshot.',
    );
  }
  if (error.name === 'TimeoutError') {
    return refuse(
      'ACTION_TIMEOUT',
      `Browser ${id}: the action did not complete in time (${first}); call browser_snapshot and try another element.`,
    );
  }
  if (/net::ERR_/.test(first)) {
    return refuse(
      'NAVIGATION_FAILED',
      `Browser ${id} could not load the page: ${first.replace(/^.*?(net::ERR_\w+).*$/, '$1')}; check the URL and that the site is up.`,
    );
  }
  return error;
}
