/**
 * A tool is one declarative object: its zod schemas, the description the model reads, its
 * annotations and its handler, so they cannot drift apart. `bindTools` binds them to a server's
 * dependencies once: each bound tool carries what `McpServer.registerTool` takes and a `run` the
 * kit's lean path calls with the same validated arguments. `runTool` is the single boundary where
 * DomainErrors become `isError` results and unexpected exceptions are logged, counted and hidden.
 */
import { performance } from 'node:perf_hooks';
import type { CallToolResult, ServerContext, ToolAnnotations } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';
import { ANONYMOUS_PRINCIPAL } from './auth.js';
import { DomainError, isDomainError, toToolError } from './errors.js';
import { startCall, type Call, type HandleKind } from './handles.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { StoreUnavailableError } from './postgres.js';

/**
 * The call a handler serves: who is calling (the verified token's issuer#subject, or `anonymous`;
 * handles are bound to it), and clean-up that runs when the call ends (the handles it used
 * restart their idle clocks then).
 */
export type ToolContext = Call;

export interface ToolReply<T> {
  /** Validated against the output schema and returned as `structuredContent`. */
  structured: T;
  /** A short rendering for clients that only read text content. */
  text: string;
  /** More content after the text, such as an image. */
  extra?: CallToolResult['content'];
}

export interface Tool<D, I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string | ((deps: D) => string);
  input: I;
  output: O;
  annotations: Omit<ToolAnnotations, 'title'>;
  handler: (args: z.output<I>, deps: D, ctx: ToolContext) => Promise<ToolReply<z.input<O>>>;
}

/** What every tool callback needs besides the server's own dependencies. */
export interface ToolRuntime {
  metrics: Metrics;
  logger: Logger;
}

export function defineTool<D, I extends z.ZodObject, O extends z.ZodObject>(tool: Tool<D, I, O>): Tool<D, I, O> {
  return tool;
}

/** What `McpServer.registerTool` takes besides the name. */
export interface ToolConfig {
  title: string;
  description: string;
  inputSchema: z.ZodObject;
  outputSchema: z.ZodObject;
  annotations: ToolAnnotations;
}

/** A tool bound to a server's dependencies, once per process. */
export interface BoundTool {
  name: string;
  config: ToolConfig;
  /** The callback `registerTool` takes: the caller is read from the SDK's request context. */
  callback: (args: Record<string, unknown>, ctx: ServerContext) => Promise<CallToolResult>;
  /** Runs the handler for `principal` on arguments already validated against `config.inputSchema`. */
  run: (args: Record<string, unknown>, principal: string) => Promise<CallToolResult>;
}

export function bindTools<D>(tools: readonly Tool<D>[], deps: D, runtime: ToolRuntime): BoundTool[] {
  return tools.map((tool) => {
    const run = (args: Record<string, unknown>, principal: string) => runTool(tool, deps, runtime, args, principal);
    return {
      name: tool.name,
      config: {
        title: tool.title,
        description: typeof tool.description === 'function' ? tool.description(deps) : tool.description,
        inputSchema: memoizeJsonSchema(tool.input),
        outputSchema: memoizeJsonSchema(tool.output),
        annotations: { title: tool.title, ...tool.annotations },
      },
      // Over stdio there is no HTTP request and no token: the local user is the anonymous principal.
      callback: (args, ctx) => run(args, ctx.http?.authInfo?.clientId ?? ANONYMOUS_PRINCIPAL),
      run,
    };
  });
}

async function runTool<D>(
  tool: Tool<D>,
  deps: D,
  runtime: ToolRuntime,
  args: Record<string, unknown>,
  principal: string,
): Promise<CallToolResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const call = startCall(principal);
  try {
    const reply = await tool.handler(args, deps, call);
    runtime.metrics.toolCall(tool.name, 'ok', seconds());
    return {
      content: [{ type: 'text', text: reply.text }, ...(reply.extra ?? [])],
      structuredContent: reply.structured as Record<string, unknown>,
    };
  } catch (error) {
    const refusal = isDomainError(error) ? error : error instanceof StoreUnavailableError ? unavailable(error) : null;
    if (refusal) {
      runtime.metrics.toolCall(tool.name, 'tool_error', seconds(), refusal.code);
      if (!isDomainError(error))
        runtime.logger.warn({ err: (error as Error).message, tool: tool.name }, 'store unavailable');
      return toToolError(refusal);
    }
    runtime.metrics.toolCall(tool.name, 'exception', seconds(), 'INTERNAL');
    runtime.logger.error({ err: error, tool: tool.name }, 'tool handler failed');
    return toToolError({
      code: 'INTERNAL',
      message: `${tool.name} failed with an internal error; it was logged. Retry, or report it if it persists.`,
      details: {},
    });
  } finally {
    await call.end((error) => runtime.logger.error({ err: error, tool: tool.name }, 'call clean-up failed'));
  }
}

/** A store that could not answer, as a refusal that says whether the call took effect and how to retry. */
function unavailable(error: StoreUnavailableError): DomainError {
  if (error.kind === 'busy') {
    return new DomainError(
      'STORE_BUSY',
      `The store is busy (${error.message}); nothing was changed. Retry in a moment.`,
      { retryable: true, applied: false },
    );
  }
  const outcome =
    error.applied === false
      ? 'nothing was changed; retry in a few seconds'
      : 'the connection broke while the change was being committed, so it may or may not have taken effect; ' +
        'retry in a few seconds if the call is safe to repeat (a read, an idempotent tool, or the same idempotency_key)';
  return new DomainError('STORE_UNAVAILABLE', `The store is unavailable (${error.message}): ${outcome}.`, {
    retryable: true,
    applied: error.applied,
  });
}

/** The input field that carries a handle, mirrored into an `Mcp-Param-*` header for gateways (SEP-2243). */
export function handleIdArgument(kind: Pick<HandleKind, 'noun' | 'prefix' | 'createTool'>, header: string) {
  return z
    .string()
    .min(1)
    .max(128)
    .describe(`The ${kind.noun} id returned by ${kind.createTool} (looks like "${kind.prefix}_" + 22 characters).`)
    .meta({ 'x-mcp-header': header });
}

const memo = new WeakMap<object, object>();

/**
 * The SDK converts zod schemas to JSON Schema on every fresh per-request server (typescript-sdk
 * #2838). Schemas here are module constants, so the conversion is cached once per schema;
 * validation still goes through zod.
 */
export function memoizeJsonSchema<T extends object>(schema: T): T {
  const cached = memo.get(schema);
  if (cached) return cached as T;
  const standard = (schema as { '~standard': StandardWithJson })['~standard'];
  let input: unknown;
  let output: unknown;
  const wrapped = {
    '~standard': {
      ...standard,
      jsonSchema: {
        input: (options: unknown) => (input ??= standard.jsonSchema.input(options)),
        output: (options: unknown) => (output ??= standard.jsonSchema.output(options)),
      },
    },
  };
  memo.set(schema, wrapped);
  return wrapped as unknown as T;
}

interface StandardWithJson {
  jsonSchema: { input: (options: unknown) => unknown; output: (options: unknown) => unknown };
}

/**
 * The tools one request needs. A 2026-07-28 `tools/call` names its tool in the `Mcp-Name`
 * header, which the SDK has already checked against the body before calling the factory, so
 * the fresh per-request server only needs that one tool; anything else gets them all.
 */
export function toolsFor<T extends { name: string }>(
  tools: readonly T[],
  request: { era: 'legacy' | 'modern'; requestInfo?: Request },
): readonly T[] {
  const headers = request.requestInfo?.headers;
  if (request.era !== 'modern' || headers?.get('mcp-method') !== 'tools/call') return tools;
  const named = tools.filter((tool) => tool.name === headers.get('mcp-name'));
  return named.length ? named : tools;
}
