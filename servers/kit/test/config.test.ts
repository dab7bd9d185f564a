import { describe, expect, it } from 'vitest';
import { ConfigError, authSettingsFrom, formatDuration, loadConfig, serverConfigSchema } from '../src/index.js';

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

  it('refuses to serve a non-loopback address without auth', () => {
    const config = loadConfig(serverConfigSchema, { HOST: '0.0.0.0' });
    expect(() => authSettingsFrom(config)).toThrow(/HOST=0.0.0.0 is not a loopback address and no auth is configured/);
    const secured = loadConfig(serverConfigSchema, { HOST: '0.0.0.0', JWT_SECRET: 'x'.repeat(32) });
    expect(authSettingsFrom(secured)).toMatchObject({ mode: 'jwt' });
  });

  it('refuses AUTH_MODE=jwt without a secret or JWKS URL', () => {
    expect(() => authSettingsFrom(loadConfig(serverConfigSchema, { AUTH_MODE: 'jwt' }))).toThrow(/JWT_SECRET/);
  });
});
