import fc from 'fast-check';
import { SignJWT, generateKeyPair, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, principalOf, signDevToken } from '../src/index.js';
import { testClock } from '../src/testing/index.js';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';
const auth = createAuthenticator({ mode: 'jwt', secret });

describe('bearer JWT auth', () => {
  it('accepts a valid HS256 token; the principal is the issuer and subject', async () => {
    const outcome = await auth.authenticate(`Bearer ${await signDevToken(secret, 'alice', { issuer: 'local' })}`);
    expect(outcome).toMatchObject({ ok: true, principal: 'local#alice' });
  });

  it('refuses a missing token with a bare Bearer challenge', async () => {
    const outcome = await auth.authenticate(undefined);
    expect(outcome).toMatchObject({ ok: false, status: 401, challenge: 'Bearer realm="mcp"' });
  });

  it.each([
    [
      'an expired token',
      async () => signDevToken(secret, 'alice', { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      /expired/,
    ],
    [
      'a token signed with another secret',
      async () => signDevToken('another-secret-that-is-long-enough-too', 'alice'),
      /signature/,
    ],
    ['garbage', async () => 'not.a.jwt', /malformed/],
    [
      'alg none',
      async () => `${b64({ alg: 'none' })}.${b64({ sub: 'alice', exp: 9999999999 })}.`,
      /malformed|algorithm/,
    ],
    [
      'a token without exp',
      async () =>
        new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').sign(new TextEncoder().encode(secret)),
      /exp/,
    ],
    [
      'an RS256 token',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT({})
          .setProtectedHeader({ alg: 'RS256' })
          .setSubject('alice')
          .setExpirationTime('1h')
          .sign(privateKey);
      },
      /algorithm/,
    ],
  ])('refuses %s with invalid_token and a reason', async (_name, makeToken, reason) => {
    const outcome = await auth.authenticate(`Bearer ${await makeToken()}`);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.challenge).toMatch(/^Bearer realm="mcp", error="invalid_token", error_description="/);
    expect(outcome.message).toMatch(reason);
  });

  it('refuses a header that is not "Bearer <token>"', async () => {
    expect((await auth.authenticate('Basic dXNlcjpwYXNz')).ok).toBe(false);
  });

  it('checks issuer and audience when configured', async () => {
    const strict = createAuthenticator({ mode: 'jwt', secret, issuer: 'https://idp.example', audience: 'mcp' });
    const wrong = await signDevToken(secret, 'alice', { issuer: 'https://evil.example', audience: 'mcp' });
    const right = await signDevToken(secret, 'alice', { issuer: 'https://idp.example', audience: 'mcp' });
    expect((await strict.authenticate(`Bearer ${wrong}`)).ok).toBe(false);
    expect(await strict.authenticate(`Bearer ${right}`)).toMatchObject({
      ok: true,
      principal: 'https://idp.example#alice',
    });
  });

  it.each([
    ['null', null],
    ['an object', {}],
    ['an array', ['alice']],
    ['an empty string', ''],
    ['a number', 123],
  ])('refuses a token whose sub is %s: only a non-empty string names a user', async (_name, sub) => {
    const outcome = await auth.authenticate(`Bearer ${await signClaims({ sub })}`);
    expect(outcome).toMatchObject({
      ok: false,
      message: expect.stringMatching(/"sub" claim must be a non-empty string/),
    });
  });

  it.each([
    ['an empty string', ''],
    ['a number', 7],
  ])('refuses a token whose iss is %s', async (_name, iss) => {
    const outcome = await auth.authenticate(`Bearer ${await signClaims({ sub: 'alice', iss })}`);
    expect(outcome).toMatchObject({ ok: false, message: expect.stringMatching(/"iss" claim/) });
  });

  it('keeps issuer and subject apart: "#" in either never makes two users one principal', async () => {
    const principal = async (claims: JWTPayload) => {
      const outcome = await auth.authenticate(`Bearer ${await signClaims(claims)}`);
      return outcome.ok ? outcome.principal : outcome.message;
    };
    const seen = new Set([
      await principal({ iss: 'a#b', sub: 'c' }),
      await principal({ iss: 'a', sub: 'b#c' }),
      await principal({ sub: 'a#b#c' }),
      await principal({ sub: 'a%23b#c' }),
    ]);
    expect(seen.size).toBe(4);
    // The same text split into (iss, sub) at any two places gives two principals, as do unrelated pairs.
    const text = fc.string({ unit: fc.constantFrom('a', '#', '%', '2', '3'), minLength: 1, maxLength: 5 });
    const split = (parts: string[], at: number): [string | undefined, string] => [
      at === 0 ? undefined : parts.slice(0, at).join('#'),
      parts.slice(at).join('#'),
    ];
    fc.assert(
      fc.property(fc.array(text, { minLength: 2, maxLength: 4 }), fc.nat(), fc.nat(), (parts, i, j) => {
        const [issA, subA] = split(parts, i % parts.length);
        const [issB, subB] = split(parts, j % parts.length);
        const same = issA === issB && subA === subB;
        return (principalOf(issA, subA) === principalOf(issB, subB)) === same;
      }),
      { seed: 15, numRuns: 1_000 },
    );
    expect(await principal({ iss: 'https://idp.example', sub: 'alice' })).toBe('https://idp.example#alice');
  });

  it('refuses a token issued in the future beyond the clock skew, and accepts one within it', async () => {
    const clock = testClock();
    const skewed = createAuthenticator({ mode: 'jwt', secret, clockSkewMs: 60_000, now: clock.now });
    const at = (seconds: number) => Math.floor(clock.now() / 1000) + seconds;
    const future = await signClaims({ sub: 'alice', iat: at(600), exp: at(3600) });
    const slightly = await signClaims({ sub: 'alice', iat: at(30), exp: at(3600) });
    expect(await skewed.authenticate(`Bearer ${future}`)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/issued in the future/),
    });
    expect(await skewed.authenticate(`Bearer ${slightly}`)).toMatchObject({ ok: true, principal: 'alice' });
  });

  it('with a maximum age, refuses a token without iat or older than it, also once it was accepted and remembered', async () => {
    const clock = testClock();
    const strict = createAuthenticator({ mode: 'jwt', secret, maxAgeMs: 3_600_000, now: clock.now });
    const at = (seconds: number) => Math.floor(clock.now() / 1000) + seconds;
    const noIat = await signClaims({ sub: 'alice', exp: at(86_400) });
    const old = await signClaims({ sub: 'alice', iat: at(-7_200), exp: at(86_400) });
    const fresh = await signClaims({ sub: 'alice', iat: at(0), exp: at(86_400) });
    expect(await strict.authenticate(`Bearer ${noIat}`)).toMatchObject({ ok: false, message: /no "iat"/ });
    expect(await strict.authenticate(`Bearer ${old}`)).toMatchObject({ ok: false, message: /older than/ });
    expect(await strict.authenticate(`Bearer ${fresh}`)).toMatchObject({ ok: true });
    clock.advance(3_600_001);
    expect(await strict.authenticate(`Bearer ${fresh}`)).toMatchObject({ ok: false, message: /older than/ });
  });

  it('refuses a token for another server, or one that names no audience, when an audience is set', async () => {
    const cart = createAuthenticator({ mode: 'jwt', secret, audience: 'sessionless-cart' });
    const forWorkspace = await signDevToken(secret, 'alice', { audience: 'sessionless-workspace' });
    const forNone = await signDevToken(secret, 'alice');
    const forBoth = await signDevToken(secret, 'alice', { audience: ['sessionless-cart', 'sessionless-workspace'] });
    expect(await cart.authenticate(`Bearer ${forWorkspace}`)).toMatchObject({
      ok: false,
      message:
        'the token is not for this server: its "aud" claim must name "sessionless-cart" (tokens are issued per server)',
    });
    expect((await cart.authenticate(`Bearer ${forNone}`)).ok).toBe(false);
    expect(await cart.authenticate(`Bearer ${forBoth}`)).toMatchObject({ ok: true });
  });

  it('anonymous mode lets every request through as the one anonymous principal', async () => {
    const anonymous = createAuthenticator({ mode: 'anonymous' });
    expect(await anonymous.authenticate(undefined)).toMatchObject({ ok: true, principal: 'anonymous' });
  });
});

/** An HS256 token with exactly these claims (an hour to live unless `exp` is given). */
function signClaims(claims: Record<string, unknown>): Promise<string> {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  return new SignJWT({ exp, ...claims }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
