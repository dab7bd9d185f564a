/**
 * Multi-round-trip fixtures (SEP-2322, 2026-07-28): a tool that needs something from the client
 * returns `inputRequired(...)` and finishes when the retried request carries the answers. No
 * round is remembered by the server: what must survive between rounds travels in `requestState`,
 * sealed by the codec so a tampered or expired state is refused before the handler runs.
 */
import {
  acceptedContent,
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  type CallToolResult,
  type ClientCapabilities,
  type GetPromptResult,
  type InputRequests,
  type InputRequiredResult,
  type McpServer,
  type RequestStateCodec,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { randomUUID } from 'node:crypto';
import * as z from 'zod/v4';

type StateCodec = RequestStateCodec<Record<string, unknown>>;
type Outcome = CallToolResult | InputRequiredResult;

const NoArguments = z.object({});
const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });

const askName = () =>
  inputRequired.elicit({
    message: 'What is your name?',
    requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
  });
const askConfirmation = () =>
  inputRequired.elicit({
    message: 'Please confirm',
    requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
  });

export const inputRequiredToolNames = [
  'test_input_required_result_elicitation',
  'test_input_required_result_sampling',
  'test_input_required_result_list_roots',
  'test_input_required_result_request_state',
  'test_input_required_result_multiple_inputs',
  'test_input_required_result_multi_round',
  'test_input_required_result_tampered_state',
  'test_input_required_result_capabilities',
];

export function registerInputRequiredTools(server: McpServer, codec: StateCodec): void {
  // Also driven by the result-type, missing-input-response, ignore-extra-params and
  // validate-input scenarios: anything but an accepted name asks again.
  server.registerTool(
    'test_input_required_result_elicitation',
    { description: 'Asks for the caller name with an elicitation input request', inputSchema: NoArguments },
    async (_args, ctx): Promise<Outcome> => {
      const name = acceptedContent<{ name: string }>(ctx.mcpReq.inputResponses, 'user_name')?.name;
      if (typeof name !== 'string') return inputRequired({ inputRequests: { user_name: askName() } });
      return text(`Hello, ${name}!`);
    },
  );

  server.registerTool(
    'test_input_required_result_sampling',
    { description: 'Asks for an LLM completion with a sampling input request', inputSchema: NoArguments },
    async (_args, ctx): Promise<Outcome> => {
      const answer = ctx.mcpReq.inputResponses?.['capital_question'] as { content?: { text?: string } } | undefined;
      if (answer === undefined) {
        return inputRequired({
          inputRequests: {
            capital_question: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
              maxTokens: 100,
            }),
          },
        });
      }
      return text(`Sampling response: ${answer.content?.text ?? '(no text)'}`);
    },
  );

  server.registerTool(
    'test_input_required_result_list_roots',
    { description: 'Asks for the client roots with a roots/list input request', inputSchema: NoArguments },
    async (_args, ctx): Promise<Outcome> => {
      const answer = ctx.mcpReq.inputResponses?.['client_roots'] as { roots?: Array<{ uri?: string }> } | undefined;
      if (!Array.isArray(answer?.roots))
        return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
      return text(`Client roots: ${answer.roots.map((root) => root.uri).join(', ')}`);
    },
  );

  server.registerTool(
    'test_input_required_result_request_state',
    { description: 'Round-trips sealed requestState alongside an elicitation', inputSchema: NoArguments },
    async (_args, ctx): Promise<Outcome> => {
      const state = ctx.mcpReq.requestState<Record<string, unknown>>();
      if (acceptedContent(ctx.mcpReq.inputResponses, 'confirm') === undefined || state?.tool !== 'request_state') {
        return inputRequired({
          inputRequests: { confirm: askConfirmation() },
          requestState: await codec.mint({ tool: 'request_state', nonce: randomUUID() }, ctx),
        });
      }
      return text('state-ok: requestState verified and confirmation received');
    },
  );

  server.registerTool(
    'test_input_required_result_multiple_inputs',
    { description: 'Asks for elicitation, sampling and roots input in one round', inputSchema: NoArguments },
    async (_args, ctx): Promise<Outcome> => {
      const responses = ctx.mcpReq.inputResponses;
      const name = acceptedContent<{ name: string }>(responses, 'user_name')?.name;
      const greeting = (responses?.['greeting'] as { content?: { text?: string } } | undefined)?.content?.text;
      const roots = (responses?.['client_roots'] as { roots?: unknown[] } | undefined)?.roots;
      if (typeof name !== 'string' || typeof greeting !== 'string' || !Array.isArray(roots)) {
        return inputRequired({
          inputRequests: {
            user_name: askName(),
            greeting: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
              maxTokens: 50,
            }),
            client_roots: inputRequired.listRoots(),
          },
          requestState: await codec.mint({ tool: 'multiple_inputs', nonce: randomUUID() }, ctx),
        });
      }
      return text(`${greeting} ${name}: ${roots.length} root(s) visible`);
    },
  );

  // The round number lives in the sealed state, not in the server: any instance can answer.
  server.registerTool(
    'test_input_required_result_multi_round',
    { description: 'Two elicitation rounds with evolving requestState', inputSchema: NoArguments },
    async (_args, ctx): Promise<Outcome> => {
      const state = ctx.mcpReq.requestState<Record<string, unknown>>();
      const round = state?.tool === 'multi_round' && typeof state.round === 'number' ? state.round : 0;
      if (round === 0) {
        return inputRequired({
          inputRequests: {
            step1: inputRequired.elicit({
              message: 'Step 1: What is your name?',
              requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
            }),
          },
          requestState: await codec.mint({ tool: 'multi_round', round: 1, nonce: randomUUID() }, ctx),
        });
      }
      if (round === 1) {
        const name = acceptedContent<{ name: string }>(ctx.mcpReq.inputResponses, 'step1')?.name ?? 'unknown';
        return inputRequired({
          inputRequests: {
            step2: inputRequired.elicit({
              message: 'Step 2: What is your favorite color?',
              requestedSchema: { type: 'object', properties: { color: { type: 'string' } }, required: ['color'] },
            }),
          },
          requestState: await codec.mint({ tool: 'multi_round', round: 2, name, nonce: randomUUID() }, ctx),
        });
      }
      const color = acceptedContent<{ color: string }>(ctx.mcpReq.inputResponses, 'step2')?.color ?? 'unknown';
      return text(`Multi-round complete: ${String(state?.name)} likes ${color}`);
    },
  );

  // A tampered state never reaches this handler: the codec's verify hook refuses it with -32602.
  server.registerTool(
    'test_input_required_result_tampered_state',
    { description: 'Refuses retries whose requestState fails verification', inputSchema: NoArguments },
    async (_args, ctx): Promise<Outcome> => {
      if (ctx.mcpReq.requestState() !== undefined && acceptedContent(ctx.mcpReq.inputResponses, 'confirm')) {
        return text('integrity-ok: requestState verified');
      }
      return inputRequired({
        inputRequests: { confirm: askConfirmation() },
        requestState: await codec.mint({ tool: 'tampered_state', nonce: randomUUID() }, ctx),
      });
    },
  );

  server.registerTool(
    'test_input_required_result_capabilities',
    { description: 'Only asks for input kinds the client declared it supports', inputSchema: NoArguments },
    async (_args, ctx): Promise<Outcome> => {
      if (ctx.mcpReq.inputResponses !== undefined) return text('capability-aware input requests fulfilled');
      const inputRequests = requestsTheClientCanAnswer(ctx);
      if (Object.keys(inputRequests).length === 0) return text('the client declared no capability to ask with');
      return inputRequired({ inputRequests });
    },
  );
}

function requestsTheClientCanAnswer(ctx: ServerContext): InputRequests {
  // `sampling` and `roots` are deprecated capabilities in 2026-07-28, but the envelope still
  // declares them, and a server must not ask for a kind the client did not declare.
  const envelope = ctx.mcpReq.envelope as Record<string, ClientCapabilities | undefined> | undefined;
  const declared = envelope?.[CLIENT_CAPABILITIES_META_KEY];
  const requests: InputRequests = {};
  if (declared?.elicitation) requests.user_name = askName();
  if (declared?.sampling) {
    requests.greeting = inputRequired.createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: 'Generate a short greeting' } }],
      maxTokens: 50,
    });
  }
  if (declared?.roots) requests.client_roots = inputRequired.listRoots();
  return requests;
}

/** prompts/get may ask for input too (the non-tool-request scenario). */
export function registerInputRequiredPrompt(server: McpServer): void {
  server.registerPrompt(
    'test_input_required_result_prompt',
    { title: 'Prompt needing input', description: 'Asks for context with an elicitation before rendering' },
    async (ctx): Promise<GetPromptResult | InputRequiredResult> => {
      const context = acceptedContent<{ context: string }>(ctx.mcpReq.inputResponses, 'user_context')?.context;
      if (typeof context !== 'string') {
        return inputRequired({
          inputRequests: {
            user_context: inputRequired.elicit({
              message: 'What context should the prompt use?',
              requestedSchema: { type: 'object', properties: { context: { type: 'string' } }, required: ['context'] },
            }),
          },
        });
      }
      return { messages: [{ role: 'user', content: { type: 'text', text: `Use the following context: ${context}` } }] };
    },
  );
}
