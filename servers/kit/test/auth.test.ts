import { SignJWT, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, signDevToken } from '../src/index.js';

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

  it('anonymous mode lets every request through as the one anonymous principal', async () => {
    const anonymous = createAuthenticator({ mode: 'anonymous' });
    expect(await anonymous.authenticate(undefined)).toMatchObject({ ok: true, principal: 'anonymous' });
  });
});

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
