/**
 * Configuration from environment variables, validated once at start-up.
 * A bad value stops the process with a message that names the variable and what it expects,
 * so a typo in a deployment never turns into a silently different server.
 */
import * as z from 'zod/v4';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const emptyRefused = new WeakSet<object>();

/**
 * Marks a setting whose empty value (`VAR=`) is an error rather than "unset". Most settings read
 * `VAR=` as unset, but a secret or an audience set to nothing must not quietly turn a check off.
 */
export function refuseEmpty<T extends z.ZodType>(schema: T): T {
  emptyRefused.add(schema);
  return schema;
}

/** Reads `env` through a zod object whose keys are the variable names. */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const input: Record<string, string | undefined> = {};
  const empty: string[] = [];
  for (const [key, setting] of Object.entries(schema.shape)) {
    const value = env[key];
    if (value === '' && emptyRefused.has(setting as object)) empty.push(key);
    input[key] = value === '' ? undefined : value;
  }
  const parsed = schema.safeParse(input);
  const problems = empty.map((variable) => `${variable} is set but empty: give it a value, or remove it`);
  if (parsed.success && !problems.length) return parsed.data;
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const variable = String(issue.path[0] ?? '(config)');
    if (empty.includes(variable)) continue;
    problems.push(`${variable}=${JSON.stringify(shown(variable, input[variable] ?? ''))}: ${issue.message}`);
  }
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

/** A value as an error may quote it: secrets never, a URL without its password. */
function shown(variable: string, value: string): string {
  if (/SECRET|PASSWORD|TOKEN/.test(variable)) return value ? '(hidden)' : '';
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/** Milliseconds, written as `500`, `30s`, `15m`, `24h` or `7d`. */
export const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)?$/, 'expected a duration such as 500ms, 30s, 15m, 24h or 7d')
  .transform(parseDuration);

export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text);
  if (!match) throw new ConfigError(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 'ms'] ?? 1;
  return Number(match[1]) * unit;
}

/** Renders milliseconds the way tool descriptions state lifetimes ("24 h", "15 min"). */
export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0 && ms >= 2 * 86_400_000) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1_000 === 0) return `${ms / 1_000} s`;
  return `${ms} ms`;
}

export const positiveInt = z.coerce.number().int().positive();

/**
 * A shared secret strong enough for HS256: at least 32 characters and about 128 bits by a simple
 * estimate (length x log2 of the distinct characters), so `x` repeated or 32 spaces never pass.
 */
export const strongSecret = z
  .string()
  .min(32, 'must be at least 32 characters')
  .refine((secret) => estimatedBits(secret) >= 128, {
    message:
      'is too predictable (too few distinct characters for its length); use 32 random bytes, e.g. `openssl rand -base64 32`',
  });

export function estimatedBits(secret: string): number {
  const distinct = new Set(secret).size;
  return distinct > 1 ? secret.length * Math.log2(distinct) : 0;
}
export const port = z.coerce.number().int().min(0).max(65_535);
export const commaList = z.string().transform((s) =>
  s
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean),
);
