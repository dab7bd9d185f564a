/**
 * Configuration from environment variables, validated once at start-up.
 * A bad value stops the process with a message that names the variable and what it expects,
 * so a typo in a deployment never turns into a silently different server.
 */
import * as z from 'zod/v4';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads `env` through a zod object whose keys are the variable names. */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    input[key] = value === '' ? undefined : value;
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(config)');
    return `${variable}=${JSON.stringify(shown(variable, input[variable] ?? ''))}: ${issue.message}`;
  });
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
export const port = z.coerce.number().int().min(0).max(65_535);
export const commaList = z.string().transform((s) =>
  s
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean),
);
