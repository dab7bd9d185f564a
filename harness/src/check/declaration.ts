/**
 * The handle declaration file (`check --handles FILE`), for servers whose tool names or results do
 * not show their handles: which argument carries one, which tool creates it (and where its result
 * holds the id), and optionally which tools read and destroy it. Mistakes are one sentence naming
 * the file and the field.
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod/v4';
import { UsageError } from '../shared/errors.js';
import { kindFrom, type HandleKind } from './handles.js';
import { takes, type ToolInfo } from './tools.js';

const callSchema = z.strictObject({
  tool: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).default({}),
});

export const declarationSchema = z.strictObject({
  $schema: z.string().optional(),
  handles: z
    .array(
      z.strictObject({
        argument: z.string().min(1).describe('The tool argument that carries the handle'),
        create: callSchema.extend({
          result: z.string().min(1).optional().describe('The field of structuredContent that holds the new id'),
          resultPattern: z.string().min(1).optional().describe('A regular expression that finds the id in the result'),
        }),
        read: callSchema.optional().describe('A call that takes the handle and changes nothing'),
        destroy: callSchema.optional().describe('A call that ends the handle'),
      }),
    )
    .min(1),
});

export type Declaration = z.infer<typeof declarationSchema>;

export function readDeclaration(file: string): Declaration {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the handle declaration ${file}: ${(error as Error).message}`);
  }
  const parsed = declarationSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .slice(1);
    throw new UsageError(
      `${file}: field "${field || '(top level)'}": ${issue.message}; see "Check your own server" in docs/08-harness-and-ci.md`,
    );
  }
  return parsed.data;
}

/** The declared kinds against the tool list: every tool named must be listed. */
export function declaredKinds(declaration: Declaration, tools: ToolInfo[], file: string): HandleKind[] {
  const byName = new Map(tools.map((t) => [t.name, t]));
  return declaration.handles.map((entry, i) => {
    const tool = (role: string, name: string | undefined) => {
      if (name === undefined) return undefined;
      const found = byName.get(name);
      if (!found)
        throw new UsageError(`${file}: handles[${i}].${role}.tool is "${name}", which instance 1 does not list`);
      return found;
    };
    const creator = tool('create', entry.create.tool)!;
    let pattern: RegExp | null = null;
    if (entry.create.resultPattern) {
      try {
        pattern = new RegExp(entry.create.resultPattern);
      } catch (error) {
        throw new UsageError(`${file}: handles[${i}].create.resultPattern: ${(error as Error).message}`);
      }
    }
    const takers = tools.filter((t) => takes(t, entry.argument));
    const kind = kindFrom(entry.argument, creator, takers, 'declaration', pattern);
    kind.create = {
      ...kind.create,
      arguments: entry.create.arguments,
      resultField: pattern ? null : (entry.create.result ?? entry.argument),
    };
    if (entry.read) kind.read = { tool: tool('read', entry.read.tool)!.name, arguments: entry.read.arguments };
    if (entry.destroy)
      kind.destroy = { tool: tool('destroy', entry.destroy.tool)!.name, arguments: entry.destroy.arguments };
    return kind;
  });
}
