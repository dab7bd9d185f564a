/**
 * Per-request bearer authentication. Without sessions every request carries its own credentials,
 * so every request is verified: a JWT checked with `jose` against an HS256 shared secret (local
 * use) or a JWKS URL (a real identity provider), for this server's audience. The principal that
 * owns handles is the token's issuer and subject (claims.ts). Anonymous mode is explicit, loopback only.
 */
import { webcrypto } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { acceptedUntil, claimProblem, principalOf } from './claims.js';

export const ANONYMOUS_PRINCIPAL = 'anonymous';
const VERIFIED_CACHE_SIZE = 1_000;

export type AuthSettings =
  | { mode: 'anonymous' }
  | {
      mode: 'jwt';
      secret?: string;
      jwksUrl?: string;
      issuer?: string;
      audience?: string;
      /** How far ahead of this server's clock a token's `iat` may be (default 60 s). */
      clockSkewMs?: number;
      /** Set, tokens need an `iat` no older than this. */
      maxAgeMs?: number;
      /** The clock tokens are checked against (tests inject one). */
      now?: () => number;
    };

export type AuthOutcome =
  { ok: true; principal: string; authInfo: AuthInfo } | { ok: false; status: 401; challenge: string; message: string };

export interface Authenticator {
  readonly mode: AuthSettings['mode'];
  authenticate(authorization: string | undefined): Promise<AuthOutcome>;
}

export function createAuthenticator(settings: AuthSettings): Authenticator {
  if (settings.mode === 'anonymous') {
    return {
      mode: 'anonymous',
      authenticate: async () => ({
        ok: true,
        principal: ANONYMOUS_PRINCIPAL,
        authInfo: { token: '', clientId: ANONYMOUS_PRINCIPAL, scopes: [] },
      }),
    };
  }
  if (!settings.secret && !settings.jwksUrl) throw new Error('JWT auth needs a shared secret or a JWKS URL');
  const rules = { clockSkewMs: settings.clockSkewMs ?? 60_000, maxAgeMs: settings.maxAgeMs };
  const now = settings.now ?? Date.now;
  // Import the shared secret once: given raw bytes, jose would import the key on every call.
  const key: Promise<webcrypto.CryptoKey> | JWTVerifyGetKey = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl))
    : webcrypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(settings.secret ?? ''),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      );
  // Subagents resend the same token on every call: remember verified tokens until they expire.
  const verified = new Map<string, { principal: string; authInfo: AuthInfo; until: number }>();
  // A shared secret only ever verifies HS256; a JWKS only asymmetric algorithms. `none` never.
  const algorithms = settings.jwksUrl ? ['RS256', 'PS256', 'ES256', 'EdDSA'] : ['HS256'];

  return {
    mode: 'jwt',
    async authenticate(authorization) {
      const match = /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(authorization?.trim() ?? '');
      if (!authorization) return refuse('missing bearer token; send "Authorization: Bearer <jwt>"', false);
      if (!match?.[1]) return refuse('the Authorization header is not "Bearer <jwt>"', true);
      const token = match[1];
      const known = verified.get(token);
      if (known && known.until > now()) return { ok: true, principal: known.principal, authInfo: known.authInfo };
      try {
        const { payload } = await jwtVerify(token, typeof key === 'function' ? key : await key, {
          algorithms,
          issuer: settings.issuer,
          audience: settings.audience,
          requiredClaims: ['sub', 'exp'],
          currentDate: new Date(now()),
        });
        const problem = claimProblem(payload, rules, now());
        if (problem) return refuse(problem, true);
        const principal = principalOf(payload.iss, payload.sub as string);
        const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
        const authInfo: AuthInfo = {
          token,
          clientId: principal,
          scopes,
          expiresAt: payload.exp,
          extra: { sub: payload.sub },
        };
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
        verified.set(token, { principal, authInfo, until: acceptedUntil(payload, rules) });
        return { ok: true, principal, authInfo };
      } catch (error) {
        return refuse(describeJoseError(error, settings.audience), true);
      }
    },
  };
}

function refuse(message: string, invalidToken: boolean): AuthOutcome {
  const quoted = message.replaceAll('"', "'");
  const challenge = invalidToken
    ? `Bearer realm="mcp", error="invalid_token", error_description="${quoted}"`
    : `Bearer realm="mcp"`;
  return { ok: false, status: 401, challenge, message };
}

function describeJoseError(error: unknown, audience: string | undefined): string {
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
    const which = error.reason === 'missing' ? 'names no server' : 'is not for this server';
    return `the token ${which}: its "aud" claim must name "${audience}" (tokens are issued per server)`;
  }
  if (error instanceof errors.JWTExpired) return 'the token has expired; get a new one';
  if (error instanceof errors.JOSEAlgNotAllowed)
    return 'the token is signed with an algorithm this server does not accept';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token claim "${error.claim}" is invalid (${error.reason})`;
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'the token is malformed';
  if (error instanceof errors.JOSEError) return `the token was refused (${error.code})`;
  return 'the token could not be verified';
}

/** Signs an HS256 token for local use: the demo, the harness and tests. */
export async function signDevToken(
  secret: string,
  subject: string,
  options: { issuer?: string; audience?: string | string[]; expiresIn?: string | number; issuedAt?: number } = {},
): Promise<string> {
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuedAt(options.issuedAt)
    .setExpirationTime(options.expiresIn ?? '1h');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
