/**
 * Expected failures are values. Domain code throws a `DomainError` with a stable code and one
 * actionable sentence; `toToolError` (the single adapter) turns it into an `isError` tool result
 * that carries the code in `_meta["dev.sessionless/error"]`, so clients and the harness can count
 * by code. Not in `structuredContent`: 2025-11-25 clients validate that against the tool's output
 * schema even on errors, and an error does not have the success shape.
 * Every code lives in a catalogue (`defineErrors`): the kit's own below, one per server in its
 * `domain/errors.ts`, from which the server README's errors table is generated.
 * Anything that is not a DomainError is a bug and stays an exception.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';

/** One row of a catalogue: when the code is returned, and the way out the sentence names. */
export interface ErrorEntry {
  when: string;
  wayOut: string;
}

/** A server's refusals by code. The keys type its codes, so a misspelt code does not compile. */
export function defineErrors<C extends string>(catalogue: Record<C, ErrorEntry>): Readonly<Record<C, ErrorEntry>> {
  return catalogue;
}

/** The refusals the kit makes itself, which every server returns too. */
export const KIT_ERRORS = defineErrors({
  HANDLE_MALFORMED: {
    when: "The id is not the kind's prefix followed by 22 characters (truncated, forged, or not an id at all).",
    wayOut: 'Pass the id the create tool returned, or call the list tool to find yours.',
  },
  HANDLE_WRONG_KIND: {
    when: 'The id is well formed but of another kind (a cart id given to a workspace tool).',
    wayOut: 'Pass an id of the kind the argument names.',
  },
  HANDLE_NOT_FOUND: {
    when: 'No such handle, or it belongs to another user (answered alike, so nothing leaks), or its tombstone was purged.',
    wayOut: 'Call the create tool for a new one, or the list tool to see yours.',
  },
  HANDLE_EXPIRED: {
    when: 'The handle was unused for its idle TTL, or reached its lifetime; the sentence says which.',
    wayOut: 'Call the create tool for a new one.',
  },
  HANDLE_DESTROYED: {
    when: 'The handle was destroyed (by its destroy tool).',
    wayOut: 'Call the create tool for a new one.',
  },
  QUOTA_EXCEEDED: {
    when: 'The caller already holds as many live handles of the kind as allowed.',
    wayOut: 'Destroy one no longer needed (the list tool shows them), then create again.',
  },
  STORE_UNAVAILABLE: {
    when: 'The store (PostgreSQL) could not be reached, or restarted mid-call; details say whether the call took effect (applied: false or "unknown").',
    wayOut: 'Retry in a few seconds; when applied is "unknown", retry only calls that are safe to repeat.',
  },
  STORE_BUSY: {
    when: 'Every store connection stayed busy past DATABASE_POOL_WAIT, or a statement ran past DATABASE_STATEMENT_TIMEOUT; nothing was changed.',
    wayOut: 'Retry in a moment.',
  },
  INTERNAL: {
    when: 'A bug: the handler failed with something other than a refusal; it is logged, never shown.',
    wayOut: 'Retry; report it if it persists.',
  },
});

export type KitErrorCode = keyof typeof KIT_ERRORS;
export type HandleErrorCode = Exclude<KitErrorCode, 'INTERNAL'>;

export class DomainError<C extends string = string> extends Error {
  override name = 'DomainError';
  constructor(
    /** Stable, SCREAMING_SNAKE code that clients may branch on; a key of the server's catalogue. */
    readonly code: C,
    /** One sentence naming the input, what is wrong and the way out. */
    message: string,
    /** Extra machine-readable facts (current version, available stock, ...). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

export const ERROR_META_KEY = 'dev.sessionless/error';

export function toToolError(error: Pick<DomainError, 'code' | 'message' | 'details'>): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: error.message }],
    _meta: { [ERROR_META_KEY]: { code: error.code, ...error.details } },
  };
}

/** The stable code of an error result, or undefined for a success or a schema rejection. */
export function errorCodeOf(result: { isError?: boolean; _meta?: Record<string, unknown> }): string | undefined {
  if (!result.isError) return undefined;
  return (result._meta?.[ERROR_META_KEY] as { code?: string } | undefined)?.code;
}
