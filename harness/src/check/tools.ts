/**
 * What `check` reads from a tool list, for any server: each tool's annotations (what may be
 * called without --allow-writes), its `x-mcp-header` declarations (the `Mcp-Param-*` headers a
 * call must carry), and arguments it can fill on its own (defaults, constants, the first of an enum).
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  'x-mcp-header'?: unknown;
}

export interface ToolInfo {
  name: string;
  input: JsonSchema;
  output: JsonSchema | null;
  readOnly: boolean;
  idempotent: boolean;
  destructive: boolean;
  /** `x-mcp-header` declarations: the argument's path and the header's name after `Mcp-Param-`. */
  headers: Array<{ path: string[]; header: string }>;
}

interface ListedTool {
  name?: unknown;
  inputSchema?: JsonSchema;
  outputSchema?: JsonSchema;
  annotations?: { readOnlyHint?: boolean; idempotentHint?: boolean; destructiveHint?: boolean };
}

export function toolsOf(result: Record<string, unknown> | undefined): ToolInfo[] {
  const tools = Array.isArray(result?.tools) ? (result.tools as ListedTool[]) : [];
  return tools
    .filter((tool): tool is ListedTool & { name: string } => typeof tool.name === 'string')
    .map((tool) => {
      const input = tool.inputSchema ?? {};
      const a = tool.annotations ?? {};
      return {
        name: tool.name,
        input,
        output: tool.outputSchema ?? null,
        readOnly: a.readOnlyHint === true,
        idempotent: a.readOnlyHint === true || a.idempotentHint === true,
        // The spec's default for a tool that is not read-only is "destructive".
        destructive: a.readOnlyHint !== true && a.destructiveHint !== false,
        headers: headersOf(input, []),
      };
    });
}

/** `x-mcp-header` on properties reached through `properties` chains only, as SEP-2243 allows. */
function headersOf(schema: JsonSchema, path: string[]): Array<{ path: string[]; header: string }> {
  return Object.entries(schema.properties ?? {}).flatMap(([key, property]) => {
    const here = [...path, key];
    const own = typeof property['x-mcp-header'] === 'string' ? [{ path: here, header: property['x-mcp-header'] }] : [];
    return [...own, ...headersOf(property, here)];
  });
}

export const takes = (tool: ToolInfo, argument: string): boolean => argument in (tool.input.properties ?? {});

export const requiredOf = (tool: ToolInfo): string[] => tool.input.required ?? [];

/**
 * The tool's arguments: `given`, plus every other required argument whose schema supplies a value
 * (a default, a constant, the first of an enum). Null when a required argument has none: the check
 * never invents values it cannot know are valid.
 */
export function fillArguments(tool: ToolInfo, given: Record<string, unknown> = {}): Record<string, unknown> | null {
  const args: Record<string, unknown> = { ...given };
  for (const name of requiredOf(tool)) {
    if (name in args) continue;
    const schema = tool.input.properties?.[name] ?? {};
    if (schema.default !== undefined) args[name] = schema.default;
    else if (schema.const !== undefined) args[name] = schema.const;
    else if (schema.enum?.length) args[name] = schema.enum[0];
    else return null;
  }
  return args;
}

/** The `Mcp-Param-*` headers a 2026-07-28 call of `tool` with `args` carries (SEP-2243). */
export function paramHeaders(tool: ToolInfo | undefined, args: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { path, header } of tool?.headers ?? []) {
    let value: unknown = args;
    for (const key of path)
      value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    const text =
      typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : null;
    if (text === null) continue;
    const plain =
      text.length > 0 && /^[\x20-\x7e]*$/.test(text) && text.trim() === text && !/^=\?base64\?.*\?=$/.test(text);
    headers[`Mcp-Param-${header}`] = plain ? text : `=?base64?${Buffer.from(text, 'utf8').toString('base64')}?=`;
  }
  return headers;
}

/** A tool result as the check reads it: error or not, its text, and its structured content. */
export interface ToolOutcome {
  /** The call got a tool result (as opposed to an HTTP or JSON-RPC failure). */
  answered: boolean;
  isError: boolean;
  text: string;
  structured: Record<string, unknown> | null;
  /** The HTTP or JSON-RPC failure when there was no tool result. */
  failure: string | null;
}

export function outcomeOf(result: Record<string, unknown> | undefined, failure: string | null): ToolOutcome {
  if (!result) return { answered: false, isError: true, text: '', structured: null, failure: failure ?? 'no result' };
  const content = Array.isArray(result.content) ? (result.content as Array<{ type?: string; text?: string }>) : [];
  return {
    answered: true,
    isError: result.isError === true,
    text: content
      .filter((c) => c.type === 'text')
      .map((c) => c.text ?? '')
      .join('\n'),
    structured:
      result.structuredContent && typeof result.structuredContent === 'object'
        ? (result.structuredContent as Record<string, unknown>)
        : null,
    failure: null,
  };
}
