/**
 * The browser server's settings: the shared server settings plus where Chromium is, which
 * origins pages may load, browser lifetimes, and how many live contexts one instance keeps.
 */
import { audienceSetting, commaList, duration, port, positiveInt, serverConfigShape } from '@sessionless/kit';
import * as z from 'zod/v4';

export interface BrowserLimits {
  idleTtlMs: number;
  absoluteTtlMs: number;
  quotaPerPrincipal: number;
}

export const DEFAULT_BROWSER_LIMITS: BrowserLimits = {
  idleTtlMs: 30 * 60_000,
  absoluteTtlMs: 24 * 3_600_000,
  quotaPerPrincipal: 5,
};

export const browserConfigSchema = z.object({
  ...serverConfigShape,
  JWT_AUDIENCE: audienceSetting('browser'),
  PORT: port.default(3103),
  CHROMIUM_PATH: z.string().optional(),
  BROWSER_ALLOWED_ORIGINS: commaList.default(['http://127.0.0.1:4173']),
  BROWSER_IDLE_TTL: duration.default(DEFAULT_BROWSER_LIMITS.idleTtlMs),
  BROWSER_MAX_LIFETIME: duration.default(DEFAULT_BROWSER_LIMITS.absoluteTtlMs),
  BROWSER_QUOTA: positiveInt.default(DEFAULT_BROWSER_LIMITS.quotaPerPrincipal),
  BROWSER_MAX_LIVE: positiveInt.default(8),
  BROWSER_CONTEXT_IDLE: duration.default(300_000),
  /** Characters of page snapshot one reply shows; browser_snapshot pages through the rest. */
  BROWSER_SNAPSHOT_PAGE_CHARS: positiveInt.default(40_000),
  /** Characters of page snapshot kept and saved per page; elements beyond have no refs. */
  BROWSER_SNAPSHOT_MAX_CHARS: positiveInt.default(400_000),
  /** Fields of one page whose typed text is kept (and typed again on a rebuild). */
  BROWSER_MAX_FIELDS: positiveInt.default(100),
});

export type BrowserConfig = z.infer<typeof browserConfigSchema>;
