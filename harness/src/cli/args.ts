/**
 * Command-line parsing with `node:util` `parseArgs`, turned into typed options. Every mistake
 * is one `UsageError` sentence naming the flag and what it expects.
 */
import { parseArgs } from 'node:util';
import { assertServerName, DEFAULT_PORTS, type PortName, type ServerName } from '../fleet/servers.js';
import { POLICY_NAMES, type PolicyName } from '../refetch/policy-names.js';
import { ROUTINGS, type Routing } from '../scale/routings.js';
import { STORES, type Store } from '../scale/stores.js';
import { UsageError } from '../shared/errors.js';

const OPTIONS = {
  subagents: { type: 'string' },
  policy: { type: 'string' },
  json: { type: 'string' },
  markdown: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  url: { type: 'string', multiple: true },
  site: { type: 'string' },
  'jwt-secret': { type: 'string' },
  anonymous: { type: 'boolean' },
  subject: { type: 'string' },
  'data-dir': { type: 'string' },
  'keep-data': { type: 'boolean' },
  quiet: { type: 'boolean' },
  'cart-port': { type: 'string' },
  'workspace-port': { type: 'string' },
  'browser-port': { type: 'string' },
  'site-port': { type: 'string' },
  instances: { type: 'string' },
  routing: { type: 'string' },
  seconds: { type: 'string' },
  warmup: { type: 'string' },
  'kill-one-at': { type: 'string' },
  rate: { type: 'string' },
  agents: { type: 'string' },
  workload: { type: 'string' },
  html: { type: 'string' },
  sweep: { type: 'string' },
  quick: { type: 'boolean' },
  'skip-baselines': { type: 'boolean' },
  target: { type: 'string' },
  repeats: { type: 'string' },
  'no-pin': { type: 'boolean' },
  store: { type: 'string' },
  'database-url': { type: 'string' },
  hosts: { type: 'string' },
  'restart-database-at': { type: 'string' },
  profile: { type: 'string' },
  token: { type: 'string' },
  'token-b': { type: 'string' },
  header: { type: 'string', multiple: true },
  'allow-writes': { type: 'boolean' },
  'read-only': { type: 'boolean' },
  handles: { type: 'string' },
  threshold: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export interface CliOptions {
  command: string | undefined;
  target: string | undefined;
  /** Every argument after the command (check takes several URLs, compare two files). */
  positionals: string[];
  subagents?: number[];
  policies?: PolicyName[];
  json?: string;
  markdown?: string;
  concurrency?: number;
  timeoutMs?: number;
  urls: Partial<Record<ServerName, string>>;
  site?: string;
  jwtSecret?: string;
  anonymous: boolean;
  subject: string;
  dataDir?: string;
  keepData: boolean;
  quiet: boolean;
  ports: Partial<Record<PortName, number>>;
  help: boolean;
  version: boolean;
  /** Where the servers keep their state (run and sweep take one; scale one or both). */
  stores?: Store[];
  databaseUrl?: string;
  scale: ScaleFlags;
  bench: BenchFlags;
  check: CheckFlags;
  /** compare's --threshold FIGURE=PCT[,...], parsed by the command. */
  threshold?: string;
}

/** The options of `check`: who calls (two principals at most), extra headers, what may be written. */
export interface CheckFlags {
  token?: string;
  tokenB?: string;
  headers: string[];
  allowWrites: boolean;
  readOnly: boolean;
  handles?: string;
}

/** The options of `scale` (and `k6`, which takes --instances). */
export interface ScaleFlags {
  instances?: number[];
  routings?: Routing[];
  seconds?: number;
  warmupSeconds?: number;
  killOneAt?: number;
  rate?: number;
  agents?: number;
  workloads?: string[];
  html?: string;
  sweep?: string;
  quick: boolean;
  skipBaselines: boolean;
  hosts?: number;
  restartDatabaseAt?: number;
}

/** The options of `bench` besides the window flags it shares with `scale` (--seconds, --warmup, --agents, --quick). */
export interface BenchFlags {
  targets?: string[];
  repeats?: number;
  pin: boolean;
  /** A directory for each target's CPU profile. */
  profile?: string;
}

export function parseCli(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const option = /'(-[^']*)'/.exec((error as Error).message)?.[1];
    throw new UsageError(
      option ? `unknown or incomplete option ${option}; see "sessionless-harness help"` : (error as Error).message,
    );
  }
  const { values, positionals } = parsed;
  const [command, target, ...extra] = positionals;
  const many = command === 'check' || command === 'compare';
  if (extra.length > 0 && !many)
    throw new UsageError(`unexpected argument "${extra[0]}"; see "sessionless-harness help"`);
  if (values.json === '-' && values.markdown === '-') {
    throw new UsageError('--json - and --markdown - both want stdout; write one of them to a file');
  }
  if (values['jwt-secret'] !== undefined && values['jwt-secret'].length < 32) {
    throw new UsageError('--jwt-secret must be at least 32 characters (the servers refuse shorter HS256 secrets)');
  }
  const ports: Partial<Record<PortName, number>> = {};
  for (const name of Object.keys(DEFAULT_PORTS) as PortName[]) {
    const value = values[`${name}-port`];
    if (value !== undefined) ports[name] = integer(`--${name}-port`, value, 0, 65_535);
  }
  return {
    command,
    target,
    positionals: positionals.slice(1),
    subagents: values.subagents?.split(',').map((n) => integer('--subagents', n.trim(), 1, 64)),
    policies: values.policy?.split(',').map((p) => policyName(p.trim())),
    json: values.json,
    markdown: values.markdown,
    concurrency: values.concurrency === undefined ? undefined : integer('--concurrency', values.concurrency, 1, 64),
    timeoutMs: values.timeout === undefined ? undefined : integer('--timeout', values.timeout, 1, 86_400) * 1000,
    urls: urls(values.url ?? []),
    site: values.site === undefined ? undefined : origin('--site', values.site),
    jwtSecret: values['jwt-secret'],
    anonymous: values.anonymous ?? false,
    subject: values.subject ?? 'dev',
    dataDir: values['data-dir'],
    keepData: values['keep-data'] ?? false,
    quiet: values.quiet ?? false,
    ports,
    help: values.help ?? false,
    version: values.version ?? false,
    stores: values.store?.split(',').map((name) => store(name.trim())),
    databaseUrl: optional(values['database-url'], databaseUrl),
    scale: {
      instances: values.instances?.split(',').map((n) => integer('--instances', n.trim(), 1, 16)),
      routings: values.routing?.split(',').map((r) => routing(r.trim())),
      seconds: optional(values.seconds, (v) => decimal('--seconds', v, 0.5, 600)),
      warmupSeconds: optional(values.warmup, (v) => decimal('--warmup', v, 0, 120)),
      killOneAt: optional(values['kill-one-at'], (v) => decimal('--kill-one-at', v, 0, 600)),
      rate: optional(values.rate, (v) => integer('--rate', v, 1, 100_000)),
      agents: optional(values.agents, (v) => integer('--agents', v, 1, 512)),
      workloads: values.workload?.split(',').map((w) => w.trim()),
      html: values.html,
      sweep: values.sweep,
      quick: values.quick ?? false,
      skipBaselines: values['skip-baselines'] ?? false,
      hosts: optional(values.hosts, (v) => integer('--hosts', v, 1, 8)),
      restartDatabaseAt: optional(values['restart-database-at'], (v) => decimal('--restart-database-at', v, 0, 600)),
    },
    bench: {
      targets: values.target?.split(',').map((t) => t.trim()),
      repeats: optional(values.repeats, (v) => integer('--repeats', v, 1, 20)),
      pin: !values['no-pin'],
      profile: values.profile,
    },
    check: {
      token: values.token,
      tokenB: values['token-b'],
      headers: values.header ?? [],
      allowWrites: values['allow-writes'] ?? false,
      readOnly: values['read-only'] ?? false,
      handles: values.handles,
    },
    threshold: values.threshold,
  };
}

const optional = <T>(value: string | undefined, parse: (value: string) => T): T | undefined =>
  value === undefined ? undefined : parse(value);

function decimal(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag} expects a number of seconds from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function routing(text: string): Routing {
  if ((ROUTINGS as readonly string[]).includes(text)) return text as Routing;
  throw new UsageError(`unknown routing "${text}" in --routing: expected one of ${ROUTINGS.join(', ')}`);
}

function store(text: string): Store {
  if ((STORES as readonly string[]).includes(text)) return text as Store;
  throw new UsageError(`unknown store "${text}" in --store: expected one of ${STORES.join(', ')}`);
}

/** Checked for its scheme only; never quoted back, since it may hold a password. */
function databaseUrl(text: string): string {
  if (/^postgres(ql)?:\/\/./.test(text)) return text;
  throw new UsageError('--database-url expects a PostgreSQL URL such as postgres://user@host:5432/database');
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag} expects a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function policyName(text: string): PolicyName {
  if ((POLICY_NAMES as readonly string[]).includes(text)) return text as PolicyName;
  throw new UsageError(`unknown policy "${text}" in --policy: expected one of ${POLICY_NAMES.join(', ')}`);
}

function urls(entries: string[]): Partial<Record<ServerName, string>> {
  const result: Partial<Record<ServerName, string>> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at < 0) throw new UsageError(`--url expects NAME=URL, like cart=http://127.0.0.1:3101/mcp, got "${entry}"`);
    result[assertServerName(entry.slice(0, at), '--url')] = origin('--url', entry.slice(at + 1));
  }
  return result;
}

function origin(flag: string, text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    return text.endsWith('/') && url.pathname === '/' ? url.origin : text;
  } catch {
    throw new UsageError(`${flag} expects an http(s) URL, got "${text}"`);
  }
}
