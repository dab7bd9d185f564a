/**
 * Scenario files: JSON under `scenarios/` (or any path), validated with zod against the schema
 * of the scenario's `kind`. A mistake is reported as one sentence with the file, the field and
 * what was expected, e.g. `scenarios/x.json: field "servers[1]": expected one of "cart",
 * "workspace", "browser", got "payments"`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as z from 'zod/v4';
import { REPO_ROOT } from '../fleet/servers.js';
import { UsageError } from '../shared/errors.js';
import { scenarioSchema, type Scenario } from './index.js';

export const SCENARIO_DIR = join(REPO_ROOT, 'scenarios');

export interface LoadedScenario {
  scenario: Scenario;
  /** The file it came from, relative to the working directory when that is shorter. */
  file: string;
}

const NOT_SCENARIOS = /^(package|tsconfig.*)\.json$/;

/** Scenario names available in `scenarios/`. */
export function scenarioNames(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json') && !NOT_SCENARIOS.test(f))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** A name (`shopping-team`) or a path to a JSON file. */
export function loadScenario(nameOrPath: string): LoadedScenario {
  const isPath = nameOrPath.includes('/') || nameOrPath.includes('\\') || nameOrPath.endsWith('.json');
  const path = isPath ? resolve(nameOrPath) : join(SCENARIO_DIR, `${nameOrPath}.json`);
  if (!existsSync(path)) {
    throw new UsageError(
      isPath
        ? `scenario file ${nameOrPath} does not exist`
        : `unknown scenario "${nameOrPath}": expected one of ${scenarioNames().join(', ')}, or a path to a .json file`,
    );
  }
  const file = shortest(path);
  return { scenario: parseScenario(readFileSync(path, 'utf8'), file), file };
}

export function parseScenario(text: string, file: string): Scenario {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}${lineAndColumn(text, error)}`);
  }
  const kinds = scenarioSchema.options.map((option) => option.shape.kind.value);
  const kind = (data as { kind?: unknown } | null)?.kind;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`${file}: expected a JSON object with a "kind" field, got ${show(data)}`);
  }
  const schema = scenarioSchema.options.find((option) => option.shape.kind.value === kind);
  if (!schema) {
    const expected = kinds.length === 1 ? show(kinds[0]) : `one of ${kinds.map(show).join(', ')}`;
    throw new UsageError(`${file}: field "kind": expected ${expected}, got ${show(kind)}`);
  }
  const parsed = schema.safeParse(data, { reportInput: true });
  if (parsed.success) return parsed.data;
  const [first, ...rest] = parsed.error.issues;
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
  throw new UsageError(`${file}: ${describeIssue(first!, schema)}${more}`);
}

function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType): string {
  const input = (issue as { input?: unknown }).input;
  const at = (path: PropertyKey[]) => (path.length ? `field "${formatPath(path)}"` : 'the top level');
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined
        ? `${at(issue.path)} is missing: expected ${typeName(issue.expected)}`
        : `${at(issue.path)}: expected ${typeName(issue.expected)}, got ${show(input)}`;
    case 'invalid_value':
      return `${at(issue.path)}: expected ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map(show).join(', ')}, got ${show(input)}`;
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
      const unit = issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : '';
      return `${at(issue.path)}: expected ${bound}${unit}, got ${show(input)}`;
    }
    case 'unrecognized_keys': {
      const known = knownKeys(schema, issue.path);
      return (
        `${at([...issue.path, issue.keys[0]!])} is not a known field` +
        (known.length ? `: expected one of ${known.join(', ')}` : '')
      );
    }
    default:
      return `${at(issue.path)}: ${issue.message}${input === undefined || typeof input === 'object' ? '' : `, got ${show(input)}`}`;
  }
}

/** " (line 4, column 1)" for a JSON.parse error that names a position. */
function lineAndColumn(text: string, error: unknown): string {
  const position = /at position (\d+)/.exec((error as Error).message)?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position)).split('\n');
  return ` (line ${before.length}, column ${before.at(-1)!.length + 1})`;
}

function formatPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

function typeName(expected: string): string {
  const names: Record<string, string> = {
    int: 'an integer',
    number: 'a number',
    string: 'a string',
    boolean: 'true or false',
    array: 'an array',
    object: 'an object',
  };
  return names[expected] ?? expected;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The field names the schema allows at `path`, for "did you mean" help on unknown fields. */
function knownKeys(schema: z.ZodType, path: PropertyKey[]): string[] {
  let node: z.ZodType | undefined = schema;
  for (const segment of path) {
    node = node && unwrap(node);
    if (node instanceof z.ZodObject) node = (node.shape as Record<string, z.ZodType>)[String(segment)];
    else if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else return [];
  }
  node = node && unwrap(node);
  return node instanceof z.ZodObject ? Object.keys(node.shape).filter((k) => k !== '$schema') : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let node = schema;
  while (node instanceof z.ZodDefault || node instanceof z.ZodOptional || node instanceof z.ZodNullable) {
    node = node.unwrap() as z.ZodType;
  }
  return node;
}

function shortest(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.length < path.length && !rel.startsWith('..') ? rel : path;
}
