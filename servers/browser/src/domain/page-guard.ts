/**
 * What a live page may do on its own, and how the next call finds out. Popups are closed as they
 * open: a second page would keep running scripts that no call sees or bounds. A main-frame
 * navigation the guard proxy refused is remembered, even between calls; and a page that has
 * moved itself off the allow-list is noticed before the next call does anything, so its address
 * is never saved and that call says what happened.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { AllowList } from './allow-list.js';
import { REFUSED_HEADER } from './guard-proxy.js';

/** Closes every page of `context` but `page`, and records in `refused` each main-frame navigation the proxy refused. */
export function guardPage(context: BrowserContext, page: Page, refused: string[]): void {
  context.on('page', (popup) => {
    if (popup !== page) void popup.close().catch(() => undefined);
  });
  page.on('response', (response) => {
    if (response.frame() !== page.mainFrame() || !response.request().isNavigationRequest()) return;
    const target = response.headers()[REFUSED_HEADER];
    if (target) refused.push(decodeURIComponent(target));
  });
}

/** The refused address the page went to (or tried to) since `refused` was last emptied, if any. */
export function leftAllowList(page: Page, refused: readonly string[], allowList: AllowList): string | undefined {
  if (refused[0]) return refused[0];
  const url = page.url();
  return url === 'about:blank' || allowList.check(url).allowed ? undefined : url;
}
