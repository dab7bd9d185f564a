import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import {
  audienceSetting,
  ConfigError,
  authSettingsFrom,
  serverConfigShape,
  formatDuration,
  handleMigrations,
  loadConfig,
  openStore,
  serverConfigSchema,
} from '../src/index.js';
import { tempDir } from '../src/testing/index.js';

describe('configuration', () => {
  it('applies defaults: loopback bind, anonymous auth, .data directory', () => {
    const config = loadConfig(serverConfigSchema, {});
    expect(config).toMatchObject({ HOST: '127.0.0.1', DATA_DIR: '.data', LIST_TTL: 300_000 });
    expect(authSettingsFrom(config)).toEqual({ mode: 'anonymous' });
  });

  it('parses durations with units', () => {
    expect(loadConfig(serverConfigSchema, { LIST_TTL: '15m', SWEEP_INTERVAL: '500ms' })).toMatchObject({
      LIST_TTL: 900_000,
      SWEEP_INTERVAL: 500,
    });
    expect(formatDuration(86_400_000)).toBe('24 h');
    expect(formatDuration(7 * 86_400_000)).toBe('7 d');
    expect(formatDuration(5_400_000)).toBe('90 min');
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT="eighty"/],
    [{ LIST_TTL: '5 minutes' }, /LIST_TTL="5 minutes".*duration/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET=.*32 characters/],
    [{ AUTH_MODE: 'basic' }, /AUTH_MODE="basic"/],
  ])('stops on %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(serverConfigSchema, env)).toThrow(ConfigError);
    expect(() => loadConfig(serverConfigSchema, env)).toThrow(message);
  });

  it('never quotes a secret or a password in an error', () => {
    const bad = () =>
      loadConfig(serverConfigSchema, { JWT_SECRET: 'hunter2', DATABASE_URL: 'mysql://app:s3cret@db/app' });
    expect(bad).toThrow(/JWT_SECRET="\(hidden\)": must be at least 32 characters/);
    expect(bad).toThrow(/DATABASE_URL="mysql:\/\/app:\*\*\*@db\/app": expected a PostgreSQL URL/);
    expect(bad).not.toThrow(/hunter2|s3cret/);
  });

  it('refuses to serve a non-loopback address without auth', () => {
    const config = loadConfig(serverConfigSchema, { HOST: '0.0.0.0' });
    expect(() => authSettingsFrom(config)).toThrow(/HOST=0.0.0.0 is not a loopback address and no auth is configured/);
    const secured = loadConfig(serverConfigSchema, { HOST: '0.0.0.0', JWT_SECRET: 'k3Lq9vZ2rT8wX1yB6nM4pQ7sD0fG5hJa' });
    expect(authSettingsFrom(secured)).toMatchObject({ mode: 'jwt' });
  });

  it.each(['JWT_SECRET', 'JWT_AUDIENCE', 'JWT_ISSUER', 'JWT_JWKS_URL', 'AUTH_MODE', 'METRICS_TOKEN'])(
    '%s set but empty stops start-up naming the variable, instead of turning its check off',
    (variable) => {
      expect(() => loadConfig(serverConfigSchema, { [variable]: '' })).toThrow(ConfigError);
      expect(() => loadConfig(serverConfigSchema, { [variable]: '' })).toThrow(
        `invalid configuration: ${variable} is set but empty: give it a value, or remove it`,
      );
    },
  );

  it.each([
    ['32 spaces', ' '.repeat(32)],
    ['one character repeated', 'x'.repeat(64)],
    ['two characters alternating', 'ab'.repeat(20)],
    ['a word repeated', 'password'.repeat(4)],
  ])('refuses a weak JWT_SECRET (%s), never quoting it', (_name, secret) => {
    const load = () => loadConfig(serverConfigSchema, { JWT_SECRET: secret });
    expect(load).toThrow(/JWT_SECRET="\(hidden\)": is too predictable/);
    expect(load).not.toThrow(secret);
  });

  it('accepts a random secret such as `openssl rand -base64 32` prints', () => {
    const config = loadConfig(serverConfigSchema, { JWT_SECRET: 'q2Zp7bX9c1VfR8tL0yN3mK5wJ6hG4dSaE+u/T7iOPl0=' });
    expect(authSettingsFrom(config)).toMatchObject({ mode: 'jwt', clockSkewMs: 60_000, maxAgeMs: undefined });
  });

  it("a server's own JWT_AUDIENCE defaults to its name, so its tokens are refused by the other servers", () => {
    const cartSchema = z.object({ ...serverConfigShape, JWT_AUDIENCE: audienceSetting('cart') });
    const secret = 'q2Zp7bX9c1VfR8tL0yN3mK5wJ6hG4dSaE+u/T7iOPl0=';
    expect(authSettingsFrom(loadConfig(cartSchema, { JWT_SECRET: secret }))).toMatchObject({
      audience: 'sessionless-cart',
    });
    expect(
      authSettingsFrom(loadConfig(cartSchema, { JWT_SECRET: secret, JWT_AUDIENCE: 'https://mcp.example/cart' })),
    ).toMatchObject({ audience: 'https://mcp.example/cart' });
    expect(() => loadConfig(cartSchema, { JWT_AUDIENCE: '' })).toThrow(/JWT_AUDIENCE is set but empty/);
  });

  it('refuses AUTH_MODE=jwt without a secret or JWKS URL', () => {
    expect(() => authSettingsFrom(loadConfig(serverConfigSchema, { AUTH_MODE: 'jwt' }))).toThrow(/JWT_SECRET/);
  });
});

describe('DATABASE_URL', () => {
  const settings = (url: string) => ({
    ...loadConfig(serverConfigSchema, { DATABASE_URL: url, DATABASE_POOL_WAIT: '3s' }),
    DATA_DIR: tempDir().path,
  });

  it('an unreachable server stops start-up naming the variable and what was tried, never the password', async () => {
    const opening = openStore('cart', settings('postgres://app:s3cret@127.0.0.1:1/shop'), handleMigrations);
    await expect(opening).rejects.toThrow(ConfigError);
    await expect(opening).rejects.toThrow(
      /^DATABASE_URL: could not use PostgreSQL at 127\.0\.0\.1, port 1, database "shop", user "app": .*ECONNREFUSED/,
    );
    await expect(opening).rejects.not.toThrow(/s3cret/);
  });

  it('a host that does not resolve says so', async () => {
    const opening = openStore('cart', settings('postgres://app@no-such-host.invalid:5432/shop'), handleMigrations);
    await expect(opening).rejects.toThrow(/DATABASE_URL: could not use PostgreSQL at no-such-host\.invalid, port 5432/);
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))('a database that does not exist says which one', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = '/no_such_database';
    await expect(openStore('cart', settings(url.toString()), handleMigrations)).rejects.toThrow(
      /DATABASE_URL: could not use PostgreSQL .*database "no_such_database".*does not exist/,
    );
  });
});
