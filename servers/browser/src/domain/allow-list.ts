/**
 * Which addresses a browser may load. Navigation is allow-listed by origin: by default only the
 * loopback demo site. Everything else is refused with the rule it broke: non-http schemes
 * (file:, data:, javascript:, chrome:), link-local and cloud-metadata addresses, private ranges,
 * other loopback ports, and any origin not on the list.
 */
import { isIP } from 'node:net';

export type Verdict =
  { allowed: true; origin: string } | { allowed: false; code: 'URL_INVALID' | 'NAVIGATION_REFUSED'; reason: string };

export class AllowList {
  private readonly origins: Set<string>;

  constructor(origins: readonly string[]) {
    this.origins = new Set(origins.map((origin) => new URL(origin).origin));
  }

  describe(): string {
    return [...this.origins].join(', ') || '(nothing)';
  }

  check(raw: string): Verdict {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return {
        allowed: false,
        code: 'URL_INVALID',
        reason: `${JSON.stringify(raw.slice(0, 200))} is not an absolute URL`,
      };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return {
        allowed: false,
        code: 'NAVIGATION_REFUSED',
        reason: `the ${url.protocol} scheme is not allowed; only http and https pages on the allow-list`,
      };
    }
    if (this.origins.has(url.origin)) return { allowed: true, origin: url.origin };
    return {
      allowed: false,
      code: 'NAVIGATION_REFUSED',
      reason: `${url.origin} is not on the navigation allow-list (${this.describe()})${addressNote(url.hostname)}`,
    };
  }
}

/** Names the class of a refused literal address, so the error says why it is dangerous. */
function addressNote(hostname: string): string {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    if (a === 169 && b === 254) return '; link-local and cloud metadata addresses are always refused unless listed';
    if (a === 127) return '; other loopback ports are refused unless listed';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
      return '; private network addresses are refused unless listed';
  }
  if (host === 'localhost' || host === '::1') return '; other loopback ports are refused unless listed';
  if (/^f[cd]/i.test(host) || /^fe80:/i.test(host))
    return '; private and link-local IPv6 addresses are refused unless listed';
  return '';
}
