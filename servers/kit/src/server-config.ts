/**
 * The settings every reference server shares, read from the environment and validated by zod.
 * Security defaults: bind loopback; anonymous mode only on loopback; a non-loopback bind without
 * a JWT secret or JWKS URL refuses to start.
 */
import * as z from 'zod/v4';
import type { AuthSettings } from './auth.js';
import { commaList, ConfigError, duration, port, positiveInt } from './config.js';

export const serverConfigShape = {
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(0),
  DATA_DIR: z.string().default('.data'),
  /** Set, the server keeps all its state in PostgreSQL (libpq URL; PG* variables fill what it leaves out). */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a PostgreSQL URL such as postgres://user@host:5432/database')
    .optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'expected a lowercase SQL name such as cart')
    .optional(),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  DATABASE_POOL_WAIT: duration.default(5_000),
  DATABASE_STATEMENT_TIMEOUT: duration.default(15_000),
  AUTH_MODE: z.enum(['jwt', 'anonymous']).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_JWKS_URL: z.url().optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  MAX_BODY_BYTES: positiveInt.default(1_048_576),
  ALLOWED_HOSTS: commaList.optional(),
  ALLOWED_ORIGINS: commaList.optional(),
  LIST_TTL: duration.default(300_000),
  SWEEP_INTERVAL: duration.default(60_000),
  /** How long a call on a handle is protected from expiry (calls are bounded far below it). */
  CALL_LEASE: duration.default(600_000),
  /** `off` sends every request through the SDK's handler; `on` answers the hot methods on the lean path. */
  LEAN_PATH: z.enum(['on', 'off']).default('on'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const serverConfigSchema = z.object(serverConfigShape);
export type ServerConfig = z.infer<typeof serverConfigSchema>;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Decides how requests are authenticated, refusing unsafe combinations at start-up. */
export function authSettingsFrom(config: ServerConfig): AuthSettings {
  const hasJwt = Boolean(config.JWT_SECRET || config.JWT_JWKS_URL);
  const mode = config.AUTH_MODE ?? (hasJwt ? 'jwt' : 'anonymous');
  if (mode === 'jwt') {
    if (!hasJwt) throw new ConfigError('AUTH_MODE=jwt needs JWT_SECRET (HS256, 32+ characters) or JWT_JWKS_URL');
    return {
      mode,
      secret: config.JWT_SECRET,
      jwksUrl: config.JWT_JWKS_URL,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    };
  }
  if (!isLoopback(config.HOST)) {
    throw new ConfigError(
      `HOST=${config.HOST} is not a loopback address and no auth is configured: ` +
        'set JWT_SECRET or JWT_JWKS_URL, or bind HOST=127.0.0.1 for anonymous local use',
    );
  }
  return { mode: 'anonymous' };
}
