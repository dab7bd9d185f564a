/**
 * Expected failures are values. Domain code throws a `DomainError` with a stable code and one
 * actionable sentence; `toToolError` (the single adapter) turns it into an `isError` tool result
 * that carries the code in `structuredContent`, so clients and the harness can count by code.
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

export function toToolError(error: DomainError): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: error.message }],
    structuredContent: { error: { code: error.code, message: error.message, ...error.details } },
  };
}
