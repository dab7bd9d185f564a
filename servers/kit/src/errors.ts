/**
 * Expected failures are values. Domain code throws a `DomainError` with a stable code and one
 * actionable sentence; `toToolError` (the single adapter) turns it into an `isError` tool result
 * that carries the code in `_meta["dev.sessionless/error"]`, so clients and the harness can count
 * by code. Not in `structuredContent`: 2025-11-25 clients validate that against the tool's output
 * schema even on errors, and an error does not have the success shape.
 * Anything that is not a DomainError is a bug and stays an exception.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';

export type HandleErrorCode =
  | 'HANDLE_MALFORMED'
  | 'HANDLE_WRONG_KIND'
  | 'HANDLE_NOT_FOUND'
  | 'HANDLE_EXPIRED'
  | 'HANDLE_DESTROYED'
  | 'QUOTA_EXCEEDED';

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    /** Stable, SCREAMING_SNAKE code that clients may branch on. */
    readonly code: string,
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
