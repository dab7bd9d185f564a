/**
 * The settings every reference server shares, read from the environment and validated by zod.
 * Security defaults: bind loopback; anonymous mode only on loopback; a non-loopback bind without
 * a JWT secret or JWKS URL refuses to start.
 */
import * as z from 'zod/v4';
import type { AuthSettings } from './auth.js';
import { commaList, ConfigError, duration, port, positiveInt, refuseEmpty, strongSecret } from './config.js';

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
  AUTH_MODE: refuseEmpty(z.enum(['jwt', 'anonymous']).optional()),
  JWT_SECRET: refuseEmpty(strongSecret.optional()),
  JWT_JWKS_URL: refuseEmpty(z.url().optional()),
  JWT_ISSUER: refuseEmpty(z.string().optional()),
  /** Each server sets its own default (`audienceSetting`), so a token for one server is refused by the others. */
  JWT_AUDIENCE: refuseEmpty(z.string().optional()),
  /** How far in the future a token's `iat` may be (the issuer's clock may run a little ahead). */
  JWT_CLOCK_SKEW: duration.default(60_000),
  /** Set, tokens need an `iat` and are refused once older than this, whatever their `exp`. */
  JWT_MAX_AGE: duration.optional(),
  /** Set, `GET /metrics` needs `Authorization: Bearer <METRICS_TOKEN>`; unset, it is open (trusted networks). */
  METRICS_TOKEN: refuseEmpty(strongSecret.optional()),
  MAX_BODY_BYTES: positiveInt.default(1_048_576),
  /** Open connections per instance; more are closed on arrival, so sockets cannot exhaust file descriptors. */
  MAX_CONNECTIONS: positiveInt.default(512),
  /** A connection must send a request's headers within this time (idle fresh sockets are closed). */
  HEADERS_TIMEOUT: duration.default(10_000),
  /** A request's body must arrive within this time. */
  REQUEST_TIMEOUT: duration.default(30_000),
  /** A connection with no bytes moving either way for this long is closed. */
  IDLE_TIMEOUT: duration.default(120_000),
  /** Open `subscriptions/listen` streams one principal may hold on one instance. */
  LISTEN_MAX_STREAMS: positiveInt.default(8),
  /** A `subscriptions/listen` stream is closed, with an error saying so, after this long. */
  LISTEN_MAX_LIFETIME: duration.default(600_000),
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

/** The audience a server's tokens must name unless JWT_AUDIENCE says otherwise: `cart` -> `sessionless-cart`. */
export function defaultAudience(server: string): string {
  return `sessionless-${server}`;
}

/** JWT_AUDIENCE for one server, defaulting to its own audience, so a token for one server fails on another. */
export function audienceSetting(server: string) {
  return refuseEmpty(z.string().default(defaultAudience(server)));
}
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
      clockSkewMs: config.JWT_CLOCK_SKEW,
      maxAgeMs: config.JWT_MAX_AGE,
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
