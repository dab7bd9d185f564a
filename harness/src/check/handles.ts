/**
 * Finding a server's handles in its tool list, without knowing its names: an argument is a handle
 * when it is marked `x-mcp-header` or named like an id (`*_id`, `*Id`, `ref`, `handle`), a tool
 * that is not read-only returns it without taking it (the creator), and other tools take it. Beside
 * each: a read-only tool that takes it, and a destroy tool that ends it, when there are.
 */
import { fillArguments, requiredOf, takes, type ToolInfo } from './tools.js';

export interface Call {
  tool: string;
  /** Arguments besides the handle. */
  arguments: Record<string, unknown>;
}

export interface HandleKind {
  argument: string;
  create: Call & { resultField: string | null; resultPattern: RegExp | null };
  /** A tool that takes the handle and changes nothing (by its annotations, or as declared). */
  read: Call | null;
  /** A tool that takes the handle, is safe to repeat and not destructive: used only with --allow-writes. */
  idempotentUse: Call | null;
  destroy: Call | null;
  /** Every tool that takes the argument. */
  takers: string[];
  source: 'tool list' | 'declaration';
}

const ID_NAME = /(^|_)(id|ref|handle)$|[a-z](Id|Ref|Handle)$/;
const CREATE_NAME = /(^|_|\b)(create|new|open|start|begin|make)/i;
const DESTROY_NAME =
  /(destroy|delete|remove|close|end|drop|release|dispose|discard|cancel|revoke|terminate|stop|void)/i;

export function discoverHandles(tools: ToolInfo[]): HandleKind[] {
  const kinds: HandleKind[] = [];
  for (const argument of candidateArguments(tools)) {
    const takers = tools.filter((t) => takes(t, argument));
    const creators = tools.filter(
      (t) => !t.readOnly && !takes(t, argument) && returns(t, argument) && fillArguments(t) !== null,
    );
    const creator = creators.find((t) => CREATE_NAME.test(t.name)) ?? creators[0] ?? byNameShape(tools, argument);
    if (!creator || takers.length === 0) continue;
    kinds.push(kindFrom(argument, creator, takers, 'tool list'));
  }
  return kinds;
}

/** A kind whose creator is known (found, or declared): its read, idempotent and destroy tools. */
export function kindFrom(
  argument: string,
  creator: ToolInfo,
  takers: ToolInfo[],
  source: HandleKind['source'],
  resultPattern: RegExp | null = null,
): HandleKind {
  const usable = (t: ToolInfo) => fillArguments(t, { [argument]: 'x' }) !== null;
  const call = (t: ToolInfo | undefined): Call | null => {
    if (!t) return null;
    const { [argument]: _handle, ...rest } = fillArguments(t, { [argument]: 'x' })!;
    return { tool: t.name, arguments: rest };
  };
  // Prefer the tool that needs nothing but the handle.
  const simplest = (list: ToolInfo[]) => list.find((t) => requiredOf(t).every((r) => r === argument)) ?? list[0];
  const read = simplest(takers.filter((t) => t.readOnly && usable(t)));
  const idempotent = simplest(takers.filter((t) => !t.readOnly && t.idempotent && !t.destructive && usable(t)));
  const destroy = takers.find(
    (t) => t.destructive && DESTROY_NAME.test(t.name) && requiredOf(t).every((r) => r === argument),
  );
  return {
    argument,
    create: {
      tool: creator.name,
      arguments: fillArguments(creator) ?? {},
      resultField: resultPattern ? null : argument,
      resultPattern,
    },
    read: call(read),
    idempotentUse: call(idempotent),
    destroy: call(destroy),
    takers: takers.map((t) => t.name),
    source,
  };
}

/** Arguments that look like handles: marked for routing, or named like an id, and taken as a string. */
function candidateArguments(tools: ToolInfo[]): string[] {
  const names = new Set<string>();
  for (const tool of tools) {
    const marked = new Set(tool.headers.filter((h) => h.path.length === 1).map((h) => h.path[0]!));
    for (const [name, schema] of Object.entries(tool.input.properties ?? {})) {
      const stringy = schema.type === undefined || schema.type === 'string';
      if (stringy && (marked.has(name) || ID_NAME.test(name))) names.add(name);
    }
  }
  return [...names];
}

const returns = (tool: ToolInfo, argument: string) => tool.output?.properties?.[argument] !== undefined;

/**
 * For tools without an output schema: `<noun>_create` (or `create_<noun>`) beside an argument
 * `<noun>_id` that other tools take; the id is then looked for in the result itself.
 */
function byNameShape(tools: ToolInfo[], argument: string): ToolInfo | undefined {
  const noun = /^(.+?)_?(id|Id)$/.exec(argument)?.[1];
  if (!noun) return undefined;
  return tools.find(
    (t) =>
      !t.readOnly &&
      t.output === null &&
      !takes(t, argument) &&
      fillArguments(t) !== null &&
      [`${noun}_create`, `create_${noun}`, `${noun}Create`, `create${noun[0]!.toUpperCase()}${noun.slice(1)}`].includes(
        t.name,
      ),
  );
}

/** The id a create call returned: the declared or found field, a declared pattern, or the one id-like token. */
export function idFrom(kind: HandleKind, structured: Record<string, unknown> | null, text: string): string | null {
  if (kind.create.resultPattern)
    return kind.create.resultPattern.exec(JSON.stringify(structured ?? '') + text)?.[0] ?? null;
  const field = structured?.[kind.create.resultField ?? kind.argument];
  if (typeof field === 'string' && field) return field;
  const tokens = [...new Set(text.match(/[A-Za-z0-9][A-Za-z0-9_:.-]{15,}/g) ?? [])];
  return tokens.length === 1 ? tokens[0]! : null;
}
