/**
 * Fetching the lists a client caches: `server/discover` (2026-07-28 only), `tools/list`, and the
 * resource and prompt lists when the server offers them, every page, per instance, principal and
 * round (before any tool call, straight again, after the calls). Each fetch keeps the JSON-RPC
 * message's exact text for byte comparisons, the items' order and the cache hints.
 */
import type { CheckClient } from './client.js';
import { failureOf, type Principal } from './wire.js';

export type Round = 'before' | 'again' | 'after';

export interface ListFetch {
  instance: number;
  principal: Principal['name'];
  round: Round;
  method: string;
  /** Every page's JSON-RPC message text, joined: what must be byte-identical. */
  json: string;
  /** The first page's result, or null when the request failed. */
  result: Record<string, unknown> | null;
  /** The items' names (or URIs) in order, over every page. */
  names: string[];
  failure: string | null;
}

/** What the list checks are made from. */
export interface ListContext {
  fetches: ListFetch[];
  methods: string[];
  instances: number;
  /** A second principal's lists were fetched. */
  secondPrincipal: boolean;
  /** Why there is no second principal, for the skipped check. */
  noSecondPrincipal: string;
  modern: boolean;
  /** Tool calls made between the first fetches and the last: with none, there is nothing to compare. */
  callsBetween: number;
}

const ITEMS: Record<string, [string, string]> = {
  'tools/list': ['tools', 'name'],
  'resources/list': ['resources', 'uri'],
  'resources/templates/list': ['resourceTemplates', 'uriTemplate'],
  'prompts/list': ['prompts', 'name'],
};
const MAX_PAGES = 20;

/** The list methods a server offers, by its capabilities; discover only where 2026-07-28 is spoken. */
export function listMethods(capabilities: Record<string, unknown>, modern: boolean): string[] {
  return [
    ...(modern ? ['server/discover'] : []),
    ...('tools' in capabilities ? ['tools/list'] : []),
    ...('resources' in capabilities ? ['resources/list', 'resources/templates/list'] : []),
    ...('prompts' in capabilities ? ['prompts/list'] : []),
  ];
}

export async function fetchList(
  client: CheckClient,
  instance: number,
  method: string,
  principal: Principal,
  round: Round,
): Promise<ListFetch> {
  const fetched: ListFetch = {
    instance,
    principal: principal.name,
    round,
    method,
    json: '',
    result: null,
    names: [],
    failure: null,
  };
  const texts: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await client.request(instance, method, cursor ? { cursor } : {}, principal);
    const result = answer.message?.result;
    if (!result) {
      fetched.failure = failureOf(answer);
      break;
    }
    texts.push(answer.json);
    fetched.result ??= result;
    const [key, field] = ITEMS[method] ?? ['', ''];
    const items = Array.isArray(result[key]) ? (result[key] as Array<Record<string, unknown>>) : [];
    fetched.names.push(...items.map((item) => String(item[field])));
    cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
    if (!cursor) break;
  }
  fetched.json = texts.join('\n');
  return fetched;
}

/** Where two JSON texts first differ, in words: a path and the two values, or "bytes only". */
export function firstDifference(a: string, b: string): string {
  let left: unknown;
  let right: unknown;
  try {
    left = a.split('\n').map((line) => JSON.parse(line) as unknown);
    right = b.split('\n').map((line) => JSON.parse(line) as unknown);
  } catch {
    return 'one of them is not JSON';
  }
  const pages = (left as unknown[]).length === 1 && (right as unknown[]).length === 1;
  const [l, r] = pages ? [(left as unknown[])[0], (right as unknown[])[0]] : [left, right];
  return walk(l, r, '') ?? 'the same content in different bytes (key order or spacing)';
}

function walk(a: unknown, b: unknown, path: string): string | null {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    return `${path || 'the message'}: ${short(a)} vs ${short(b)}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const found = walk(a[i], b[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (a && typeof a === 'object') {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const found = walk(x[key], y[key], path ? `${path}.${key}` : key);
      if (found) return found;
    }
    return null;
  }
  if (a === b) return null;
  if (typeof a === 'string' && typeof b === 'string') {
    // Show both strings from a little before where they part.
    let at = 0;
    while (a[at] === b[at]) at++;
    const from = Math.max(0, at - 20);
    const cut = (text: string) =>
      JSON.stringify(`${from > 0 ? '…' : ''}${text.slice(from, at + 30)}${text.length > at + 30 ? '…' : ''}`);
    return `${path}: ${cut(a)} vs ${cut(b)}`;
  }
  return `${path}: ${short(a)} vs ${short(b)}`;
}

function short(value: unknown): string {
  if (value === undefined) return 'absent';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
