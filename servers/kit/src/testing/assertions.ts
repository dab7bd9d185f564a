/**
 * Assertions on tool results in the servers' shape (a success's structured content; an error's
 * code, sentence and details), and the check that every refusal a server makes is built in its
 * error catalogue.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_META_KEY, errorCodeOf } from '../errors.js';

export interface ToolResult {
  isError?: boolean;
  content?: unknown;
  structuredContent?: unknown;
  _meta?: Record<string, unknown>;
}

/** Asserts a tool result is a success and returns its structured content. */
export function ok<T = Record<string, unknown>>(result: ToolResult): T {
  assert.ok(!result.isError, `expected a success, got an error: ${JSON.stringify(result.content)}`);
  return result.structuredContent as T;
}

/**
 * Asserts a tool result is an error in the servers' shape (text, code in `_meta`, no
 * structuredContent) and returns its code (`INPUT_VALIDATION` for schema rejections), text and details.
 */
export function toolError(result: ToolResult): { code: string; text: string; details: Record<string, unknown> } {
  assert.equal(result.isError, true, `expected an error, got: ${JSON.stringify(result.structuredContent)}`);
  assert.equal(result.structuredContent, undefined, 'error results carry no structuredContent');
  const content = result.content as Array<{ type: string; text: string }>;
  const details = (result._meta?.[ERROR_META_KEY] ?? {}) as Record<string, unknown>;
  return { code: errorCodeOf(result) ?? 'INPUT_VALIDATION', text: content[0]?.text ?? '', details };
}

/**
 * Refusals constructed anywhere but a server's catalogue (`src/domain/errors.ts`): a
 * `new DomainError(`, or of a subclass the catalogue declares, and any subclass declared
 * elsewhere. Each as `file:line: text`; a server's README test expects none. With every refusal
 * built in the catalogue from codes it types, every code a server can return is in its errors table.
 */
export function refusalsOutsideCatalogue(srcDir: URL): string[] {
  const root = fileURLToPath(srcDir);
  const catalogue = join(root, 'domain', 'errors.ts');
  const subclasses = [...readFileSync(catalogue, 'utf8').matchAll(/class (\w+) extends DomainError\b/g)].map(
    (m) => m[1],
  );
  const construct = new RegExp(`new (?:${['DomainError', ...subclasses].join('|')})\\b|extends DomainError\\b`);
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts') && path !== catalogue) {
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (construct.test(line)) found.push(`${relative(root, path)}:${i + 1}: ${line.trim()}`);
          });
      }
    }
  };
  visit(root);
  return found;
}
