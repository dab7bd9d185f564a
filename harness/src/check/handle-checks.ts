/**
 * The handle checks for one kind, on ids the check created itself (a few, alternating instances):
 * a handle made on instance 1 serves on instance 2 (and, destroyed there, is gone on instance 1);
 * another principal gets word for word the unknown-id error; unknown, malformed and wrong-kind ids
 * get clear tool errors; the ids show 128 random bits; handle arguments declare their routing header.
 */
import { estimateEntropy } from './entropy.js';
import type { HandleKind } from './handles.js';
import type { CheckResult } from './report.js';
import type { ToolOutcome } from './tools.js';
import type { CheckClient } from './client.js';
import type { Principal } from './wire.js';

export interface Samples {
  kind: HandleKind;
  /** Ids created, in order; id i was created on instance i % instances. */
  ids: string[];
  /** Why none (or too few) were created: a refusal, or the write policy. */
  createProblem: { status: 'fail' | 'skip'; detail: string; fix: string | null } | null;
  /** Ids ended by the checks themselves. */
  destroyed: Set<string>;
}

export interface HandleContext {
  client: CheckClient;
  a: Principal;
  b: Principal | null;
  noSecondPrincipal: string;
  /** Why the handle cannot be used without a write, when no read-only tool takes it. */
  useProblem: string;
  /** Another kind's id, for the wrong-kind probe. */
  otherKindId: string | null;
}

type Result = Omit<CheckResult, 'id' | 'group' | 'subject' | 'name'>;
const pass = (detail: string): Result => ({ status: 'pass', detail, fix: null });
const fail = (detail: string, fix: string): Result => ({ status: 'fail', detail, fix });
const skip = (detail: string): Result => ({ status: 'skip', detail, fix: null });
const cut = (id: string) => (id.length > 14 ? `${id.slice(0, 12)}…` : id);
const quote = (text: string) => `"${text.length > 120 ? `${text.slice(0, 117)}...` : text}"`;

export async function handleChecks(ctx: HandleContext, s: Samples): Promise<CheckResult[]> {
  const { kind } = s;
  const use = kind.read ?? (ctx.useProblem ? null : kind.idempotentUse);
  const named = (id: string, name: string, result: Result): CheckResult => ({
    id: `handles.${id}`,
    group: 'handles',
    subject: kind.argument,
    name,
    ...result,
  });
  return [
    named('other-instance', 'created on instance 1, works on instance 2', await otherInstance(ctx, s, use)),
    named('other-principal', 'another principal: exactly the unknown-id error', await otherPrincipal(ctx, s, use)),
    named('bad-ids', 'unknown, malformed, wrong-kind ids: clear errors', await badIds(ctx, s, use)),
    named('entropy', 'ids carry at least 128 random bits', entropy(s)),
    named('routing-header', 'routing header declared (x-mcp-header)', routingHeader(ctx, kind)),
  ];
}

async function otherInstance(ctx: HandleContext, s: Samples, use: HandleKind['read']): Promise<Result> {
  const { client } = ctx;
  const arg = s.kind.argument;
  if (s.createProblem) return s.createProblem;
  if (client.wire.instances < 2) return skip('one instance given: pass two or more URLs of the same server.');
  if (!use)
    return skip(ctx.useProblem || `no tool that changes nothing takes ${arg}: declare a read call in --handles FILE.`);
  const id = s.ids[0]!;
  const served = await client.call(1, use.tool, { ...use.arguments, [arg]: id }, ctx.a);
  if (served.isError) {
    return fail(
      `${s.kind.create.tool} on instance 1 made ${cut(id)}, but ${use.tool} on instance 2 answered ${said(served)}.`,
      `Keep handles in a store every instance reaches (a database, not process memory), so any instance can serve any ${arg}.`,
    );
  }
  let tail = '';
  if (s.kind.destroy) {
    const destroy = s.kind.destroy;
    const ended = await client.call(1, destroy.tool, { ...destroy.arguments, [arg]: id }, ctx.a);
    if (!ended.isError) s.destroyed.add(id);
    const after = await client.call(0, use.tool, { ...use.arguments, [arg]: id }, ctx.a);
    if (ended.isError || !after.isError) {
      return fail(
        ended.isError
          ? `${destroy.tool} on instance 2 could not end ${cut(id)}, made on instance 1: ${said(ended)}.`
          : `after ${destroy.tool} on instance 2 ended ${cut(id)}, instance 1 still served it (${use.tool} succeeded).`,
        'Resolve every handle from the shared store on every call; do not cache live handles per instance.',
      );
    }
    tail = `; ${destroy.tool} on instance 2 ended it and instance 1 then refused it`;
  }
  return pass(`${s.kind.create.tool} on instance 1 made ${cut(id)} and ${use.tool} on instance 2 served it${tail}.`);
}

async function otherPrincipal(ctx: HandleContext, s: Samples, use: HandleKind['read']): Promise<Result> {
  if (!ctx.b) return skip(ctx.noSecondPrincipal);
  if (s.createProblem) return skip(`no ${s.kind.argument} to present: ${s.createProblem.detail}`);
  if (!use) return skip(ctx.useProblem);
  const arg = s.kind.argument;
  const id = s.ids.find((x) => !s.destroyed.has(x))!;
  const unknown = lookalike(id);
  const instance = ctx.client.wire.instances > 1 ? 1 : 0;
  const theirs = await ctx.client.call(instance, use.tool, { ...use.arguments, [arg]: id }, ctx.b);
  const never = await ctx.client.call(instance, use.tool, { ...use.arguments, [arg]: unknown }, ctx.b);
  if (!theirs.isError) {
    return fail(
      `principal B used principal A's ${cut(id)} (${use.tool} succeeded).`,
      'Store each handle with the principal that created it and answer any other principal as for an unknown id.',
    );
  }
  const a = normalise(theirs, id);
  const b = normalise(never, unknown);
  if (a !== b) {
    return fail(
      `principal B got ${said(theirs)} for A's ${arg} but ${said(never)} for one that never existed, which tells B that A's exists.`,
      "Answer another principal's handle exactly as an unknown one: same sentence, same code.",
    );
  }
  return pass(
    `principal B got the same tool error for A's ${arg} as for one that never existed: ${quote(theirs.text)}.`,
  );
}

async function badIds(ctx: HandleContext, s: Samples, use: HandleKind['read']): Promise<Result> {
  if (!use) return skip(ctx.useProblem);
  const arg = s.kind.argument;
  const sample = s.ids[0] ?? null;
  const probes: Array<[string, string]> = [
    ['unknown', sample ? lookalike(sample) : randomText(22)],
    ['malformed', '!!not-a-handle!!'],
  ];
  const wrongKind = ctx.otherKindId ?? (sample ? otherPrefix(sample) : null);
  if (wrongKind) probes.push(['wrong-kind', wrongKind]);
  for (const [what, id] of probes) {
    const outcome = await ctx.client.call(0, use.tool, { ...use.arguments, [arg]: id }, ctx.a);
    const problem = unclear(outcome, id, arg);
    if (problem) {
      return fail(
        `${use.tool} answered the ${what} ${arg} ${quote(cut(id))} ${problem}.`,
        `Refuse a bad ${arg} with a tool result (isError: true) whose one sentence names the id and how to get a valid one.`,
      );
    }
  }
  const missing = wrongKind
    ? ''
    : ' (no wrong-kind id to try: the ids carry no kind prefix and no other kind was found)';
  return pass(`${use.tool} refused ${probes.map(([w]) => w).join(', ')} ids with clear tool errors${missing}.`);
}

function entropy(s: Samples): Result {
  if (s.ids.length === 0) return skip(`no ${s.kind.argument} was created: ${s.createProblem?.detail ?? 'none'}`);
  const e = estimateEntropy(s.ids);
  const shape = `${e.prefix ? `"${e.prefix}" + ` : ''}${e.length} ${e.alphabet} characters`;
  const shown = `${e.bits} random bits as far as ${e.sample} id${e.sample === 1 ? '' : 's'} show`;
  if (e.bits >= 128) return pass(`${shape}: ${shown}${e.findings.length ? ` (${e.findings.join('; ')})` : ''}.`);
  return fail(
    `${shape}: ${shown}${e.findings.length ? `; ${e.findings.join('; ')}` : ''}; 128 is the floor for an id that is a capability.`,
    'Mint ids from at least 16 bytes of a CSPRNG (crypto.randomBytes(16).toString("base64url")) with nothing else encoded.',
  );
}

function routingHeader(ctx: HandleContext, kind: HandleKind): Result {
  const tools = kind.takers.map((name) => ctx.client.tools.get(name)!).filter(Boolean);
  const header = (name: string) =>
    ctx.client.tools.get(name)?.headers.find((h) => h.path.length === 1 && h.path[0] === kind.argument)?.header;
  const bare = tools.filter((t) => !header(t.name)).map((t) => t.name);
  if (tools.length === 0) return skip(`no listed tool takes ${kind.argument}.`);
  if (bare.length) {
    return fail(
      `${bare.join(', ')} take${bare.length === 1 ? 's' : ''} ${kind.argument} without x-mcp-header, so a gateway cannot route or shard on it without reading bodies.`,
      `Mark ${kind.argument} in each input schema with "x-mcp-header": "<Name>" (SEP-2243), so calls carry Mcp-Param-<Name>.`,
    );
  }
  const names = [...new Set(tools.map((t) => header(t.name)))].map((h) => `Mcp-Param-${h}`);
  return pass(`all ${tools.length} tools that take ${kind.argument} declare it (${names.join(', ')}).`);
}

/** Why an answer to a bad id is not a clear tool error, or null when it is. */
function unclear(outcome: ToolOutcome, id: string, argument: string): string | null {
  if (!outcome.answered) return `with no tool result (${outcome.failure})`;
  if (!outcome.isError) return 'with success';
  const text = outcome.text.trim();
  if (text.length < 10) return `with a tool error without a sentence (${quote(text)})`;
  if (/\n\s+at .+[:(]\d+/.test(text)) return 'with a stack trace';
  if (!text.includes(id.slice(0, 12)) && !text.includes(argument)) {
    return `with a tool error that names neither the id nor ${argument}: ${quote(text)}`;
  }
  return null;
}

const said = (o: ToolOutcome) =>
  o.answered ? (o.isError ? `the tool error ${quote(o.text)}` : 'success') : o.failure!;

const normalise = (o: ToolOutcome, id: string) =>
  JSON.stringify([
    o.answered,
    o.isError,
    o.text.replaceAll(id, '<id>'),
    JSON.stringify(o.structured ?? null).replaceAll(id, '<id>'),
  ]);

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function randomText(length: number, from = ALPHABET): string {
  return Array.from({ length }, () => from[Math.floor(Math.random() * from.length)]).join('');
}

/** An id of the same shape that never existed: the same prefix and separators, other characters of the same kinds. */
export function lookalike(id: string): string {
  const prefix = /^[A-Za-z]+[_:.-]/.exec(id)?.[0] ?? '';
  const body = id.slice(prefix.length);
  const pools = [/[0-9]/, /[a-z]/, /[A-Z]/].map((kind) => [...new Set(body)].filter((c) => kind.test(c)).join(''));
  const pick = (c: string) => {
    const pool = pools.find((p) => p.includes(c));
    return pool && pool.length > 1 ? pool[Math.floor(Math.random() * pool.length)]! : c;
  };
  let next = body;
  for (let tries = 0; next === body && tries < 100; tries++) next = [...body].map(pick).join('');
  return prefix + (next === body ? randomText(body.length) : next);
}

/** The same id under another kind's prefix, when it has one. */
function otherPrefix(id: string): string | null {
  const prefix = /^([A-Za-z]+)([_:.-])/.exec(id);
  if (!prefix) return null;
  const other = prefix[1]!.startsWith('zz') ? 'qq' : 'zz';
  return `${other}${prefix[2]}${id.slice(prefix[0].length)}`;
}
