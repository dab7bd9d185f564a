/**
 * The adversarial suite's inputs and verdicts. Tool arguments are generated from each tool's zod
 * input schema (through its JSON Schema): mostly valid values, mixed with hostile ones (huge,
 * deep, odd Unicode, boundary numbers, wrong types, missing and extra members, real and foreign
 * handles). `checkAnswer` says what no answer may be: a 5xx, an internal error, a JSON-RPC error
 * with no message, a refusal without a sentence. Its own subpath keeps fast-check out of runtime code.
 */
import fc from 'fast-check';
import * as z from 'zod/v4';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** Strings meant to break something: invisible, look-alike and unpaired characters, paths, markup. */
export const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  'x\udc00y',
  '\u202egnp.exe',
  'a\u200bb',
  '\ufeff',
  '../../etc/passwd',
  '/etc/passwd',
  'C:\\Windows',
  'src\u2215a.txt',
  'ｆｕｌｌ',
  '%00%2e%2e',
  '<script>alert(1)</script>',
  "'; DROP TABLE files; --",
  '${jndi:ldap://x}',
  '\r\nX-Injected: 1',
  '😀'.repeat(50),
  'e\u0301',
];

const NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  -(2 ** 31),
  2 ** 31,
  2 ** 53,
  -(2 ** 53),
  Number.MAX_SAFE_INTEGER,
  1e308,
  -1e308,
  5e-324,
];

/** Any UTF-16 code units, unpaired surrogates included. */
const codeUnits = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength });

/** Nested arrays `depth` deep: parsers and validators that recurse meet their limit. */
function deep(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>(null, true, [], {}, deep(200), { __proto__: { polluted: true } }, ['x', 1, null]),
);

function hostileString(schema: JsonSchema, hugeChars: number): fc.Arbitrary<string> {
  const max = schema.maxLength ?? hugeChars;
  const huge = Math.min(max, hugeChars);
  return fc.oneof(
    fc.constantFrom(...HOSTILE_TEXT),
    codeUnits(40),
    fc.constantFrom('a'.repeat(huge), 'a'.repeat(Math.min(max + 1, hugeChars + 1)), 'é'.repeat(Math.ceil(huge / 2))),
  );
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 64, 64));
  return fc.string({ minLength, maxLength });
}

function validNumber(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1_000);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1_000);
  const bounds = { min: Math.max(min, -1e9), max: Math.min(max, 1e9) };
  return integer ? fc.integer(bounds) : fc.double({ ...bounds, noNaN: true });
}

function hostileNumber(schema: JsonSchema): fc.Arbitrary<number> {
  const edges = [schema.minimum, schema.maximum].flatMap((n) => (n === undefined ? [] : [n - 1, n, n + 1, n + 0.5]));
  return fc.constantFrom(...NUMBERS, ...edges);
}

/** Options: `handles` gives, per argument name, real handle ids the caller holds (or another principal's). */
export interface ArgumentOptions {
  handles?: Record<string, readonly string[]>;
  /** The longest string a hostile value is (default 600,000 characters, past most limits). */
  hugeChars?: number;
}

/** Values for one schema: valid mostly, hostile or of any type sometimes. */
function valueOf(schema: JsonSchema, options: ArgumentOptions, name = ''): fc.Arbitrary<unknown> {
  const huge = options.hugeChars ?? 600_000;
  const real = options.handles?.[name];
  const alternatives = schema.anyOf ?? schema.oneOf;
  let valid: fc.Arbitrary<unknown>;
  let hostile: fc.Arbitrary<unknown> = anyJson;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (schema.const !== undefined) valid = fc.constant(schema.const);
  else if (schema.enum) valid = fc.constantFrom(...schema.enum);
  else if (alternatives?.length) valid = fc.oneof(...alternatives.map((alt) => valueOf(alt, options, name)));
  else if (type === 'string') {
    valid = validString(schema);
    hostile = hostileString(schema, huge);
  } else if (type === 'integer' || type === 'number') {
    valid = validNumber(schema, type === 'integer');
    hostile = hostileNumber(schema);
  } else if (type === 'boolean') valid = fc.boolean();
  else if (type === 'array') {
    const items = valueOf(schema.items ?? {}, options);
    valid = fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 5, 5) });
    hostile = fc.oneof(
      anyJson,
      fc.array(items, { minLength: (schema.maxItems ?? 50) + 1, maxLength: (schema.maxItems ?? 50) + 1 }),
    );
  } else if (type === 'object') valid = objectOf(schema, options);
  else valid = anyJson;
  if (real?.length)
    valid = fc.oneof({ arbitrary: fc.constantFrom(...real), weight: 4 }, { arbitrary: valid, weight: 1 });
  return fc.oneof(
    { arbitrary: valid, weight: 6 },
    { arbitrary: hostile, weight: 3 },
    { arbitrary: anyJson, weight: 1 },
  );
}

function objectOf(schema: JsonSchema, options: ArgumentOptions): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const members = Object.fromEntries(properties.map(([name, property]) => [name, valueOf(property, options, name)]));
  // Required members are sometimes left out too, and an unknown one is sometimes added.
  return fc
    .tuple(
      fc.record(members, { requiredKeys: properties.filter(([name]) => required.has(name)).map(([name]) => name) }),
      fc.option(fc.constantFrom(...properties.map(([name]) => name), '__proto__'), { freq: 8 }),
      fc.option(fc.tuple(fc.constantFrom('extra', 'constructor', '$ref'), anyJson), { freq: 8 }),
    )
    .map(([record, drop, extra]) => {
      const args: Record<string, unknown> = { ...record };
      if (drop !== null) delete args[drop];
      if (extra !== null) args[extra[0]] = extra[1];
      return args;
    });
}

/** Arguments for a tool, from its zod input schema. */
export function argumentsFor(input: z.ZodType, options: ArgumentOptions = {}): fc.Arbitrary<Record<string, unknown>> {
  const schema = z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return objectOf(schema, options);
}

/** How many generated calls per tool: ADVERSARIAL_RUNS for a longer run, else `fallback`. */
export function adversarialRuns(fallback: number): number {
  const runs = Number(process.env.ADVERSARIAL_RUNS);
  return Number.isInteger(runs) && runs > 0 ? runs : fallback;
}

/** The fixed seed of the bounded run (ADVERSARIAL_SEED picks another, to explore). */
export function adversarialSeed(): number {
  const seed = Number(process.env.ADVERSARIAL_SEED);
  return Number.isInteger(seed) ? seed : 15;
}

/**
 * What is wrong with one HTTP answer to a tools/call, or undefined when nothing is: a 5xx, a body
 * that is not JSON-RPC, an internal error (JSON-RPC -32603 or the INTERNAL tool error), a refusal
 * whose text is not a sentence, or a reply over `maxBytes`.
 */
export function answerProblem(status: number, body: string, maxBytes: number): string | undefined {
  if (status >= 500) return `HTTP ${status}`;
  if (Buffer.byteLength(body) > maxBytes) return `a reply of ${Buffer.byteLength(body)} bytes`;
  const data = body.startsWith('{') ? body : /^data: (.*)$/m.exec(body)?.[1];
  let message: { result?: Record<string, unknown>; error?: { code?: number; message?: unknown } };
  try {
    message = JSON.parse(data ?? '') as typeof message;
  } catch {
    return `HTTP ${status} with a body that is not JSON-RPC: ${body.slice(0, 200)}`;
  }
  if (message.error) {
    if (message.error.code === -32603) return `an internal JSON-RPC error: ${String(message.error.message)}`;
    return typeof message.error.message === 'string' && message.error.message.length > 10
      ? undefined
      : `a JSON-RPC error without a message: ${data}`;
  }
  const result = message.result ?? {};
  if (result.isError !== true) return undefined;
  const meta = (result._meta ?? {}) as Record<string, { code?: string } | undefined>;
  const code = Object.values(meta).find((value) => typeof value?.code === 'string')?.code;
  if (code === 'INTERNAL') return 'an INTERNAL tool error';
  const text = (result.content as Array<{ text?: string }> | undefined)?.[0]?.text ?? '';
  if (text.length < 15 || !/[a-z]{3,} [a-z]{2,}/i.test(text)) return `a refusal that is not a sentence: ${text}`;
  if (/\n\s+at \S+ \(/.test(text)) return `a stack trace in a refusal: ${text.slice(0, 200)}`;
  return undefined;
}

/**
 * A 2026-07-28 tools/call of `name` with `args` as a client sends it: the envelope, Mcp-Name, and
 * each `x-mcp-header` argument mirrored into its Mcp-Param-* header (Base64-encoded when it is not
 * printable ASCII, as the spec says), so refusals come from the tool rather than from a header check.
 */
export function toolRequest(
  name: string,
  input: z.ZodType,
  args: Record<string, unknown>,
  token?: string,
): { headers: Record<string, string>; body: string } {
  const schema = z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, Record<string, unknown>>;
  };
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': 'tools/call',
    'mcp-name': name,
  };
  if (token) headers.authorization = `Bearer ${token}`;
  for (const [argument, property] of Object.entries(schema.properties ?? {})) {
    const header = property['x-mcp-header'];
    const value = args[argument];
    if (typeof header !== 'string' || typeof value !== 'string') continue;
    headers[`mcp-param-${header.toLowerCase()}`] = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value)
      ? value
      : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
  }
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name, arguments: args, _meta: meta },
  });
  return { headers, body };
}
