/**
 * What a verified token must say before it names a principal, and the principal it names. `sub`
 * must be a non-empty string and `iss`, when present, too; `iat` may not lie in the future beyond
 * the allowed clock skew; with a maximum age, `iat` is required and bounds the token's life.
 * The principal is `iss#sub`, written so that two different (iss, sub) pairs never give one string.
 */
import type { JWTPayload } from 'jose';

export interface ClaimRules {
  clockSkewMs: number;
  maxAgeMs?: number;
}

/** The refusal sentence for claims a principal cannot be built from, or undefined when they pass. */
export function claimProblem(payload: JWTPayload, rules: ClaimRules, nowMs: number): string | undefined {
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    return 'the token\'s "sub" claim must be a non-empty string naming the user';
  }
  if (payload.iss !== undefined && (typeof payload.iss !== 'string' || payload.iss === '')) {
    return 'the token\'s "iss" claim, when present, must be a non-empty string';
  }
  if (payload.iat !== undefined && payload.iat * 1000 > nowMs + rules.clockSkewMs) {
    return `the token was issued in the future ("iat" is more than ${rules.clockSkewMs / 1000} s ahead of this server's clock); check the issuer's clock`;
  }
  if (rules.maxAgeMs !== undefined) {
    if (payload.iat === undefined) return 'the token has no "iat" claim, which this server requires to bound its age';
    if (nowMs - payload.iat * 1000 > rules.maxAgeMs) {
      return `the token is older than this server accepts (${rules.maxAgeMs / 1000} s since "iat"); get a new one`;
    }
  }
  return undefined;
}

/** The last moment (ms) a token with these claims may be accepted: its `exp`, or its maximum age if sooner. */
export function acceptedUntil(payload: JWTPayload, rules: ClaimRules): number {
  const exp = (payload.exp ?? 0) * 1000;
  if (rules.maxAgeMs === undefined || payload.iat === undefined) return exp;
  return Math.min(exp, payload.iat * 1000 + rules.maxAgeMs);
}

/**
 * `iss#sub`, or `sub` alone without an issuer. `%` and `#` are percent-encoded in the issuer (and
 * in a subject without issuer), so the first `#` always ends the issuer and a principal without
 * issuer has none: `a#b` + `c` and `a` + `b#c` stay two users, as do `a#b` (no issuer) and `a` + `b`.
 */
export function principalOf(iss: string | undefined, sub: string): string {
  return iss === undefined ? escapeHash(sub) : `${escapeHash(iss)}#${sub}`;
}

function escapeHash(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('#', '%23');
}
