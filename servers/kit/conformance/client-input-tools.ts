/**
 * The 2025-era sampling and elicitation fixtures (`test_sampling`, `test_elicitation` and the
 * SEP-1034/SEP-1330 elicitation forms), written once in the 2026-07-28 style: return
 * `inputRequired`, finish when the retried request carries the answer.
 */
import {
  inputRequired,
  type CallToolResult,
  type ElicitRequestFormParams,
  type InputRequiredResult,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import * as z from 'zod/v4';

const NoArguments = z.object({});
const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });

export const clientInputToolNames = [
  'test_sampling',
  'test_elicitation',
  'test_elicitation_sep1034_defaults',
  'test_elicitation_sep1330_enums',
];

/**
 * On the 2025 leg the SDK turns `inputRequired` into a server-to-client request, which a
 * sessionless server cannot complete: the client's reply arrives as a new POST that a fresh
 * instance answers. The SDK refuses at once with a tool error, and the baseline says why.
 */
export function registerClientInputTools(server: McpServer): void {
  server.registerTool(
    'test_sampling',
    {
      description: 'Asks the client for an LLM completion of the prompt',
      inputSchema: z.object({ prompt: z.string().describe('The prompt to send to the LLM') }),
    },
    async ({ prompt }, ctx): Promise<CallToolResult | InputRequiredResult> => {
      const answer = ctx.mcpReq.inputResponses?.['completion'] as { content?: { text?: string } } | undefined;
      if (answer === undefined) {
        return inputRequired({
          inputRequests: {
            completion: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
              maxTokens: 100,
            }),
          },
        });
      }
      return text(`LLM response: ${answer.content?.text ?? '(no text)'}`);
    },
  );

  server.registerTool(
    'test_elicitation',
    {
      description: 'Asks the user for a username and an email address',
      inputSchema: z.object({ message: z.string().describe('The message to show the user') }),
    },
    async ({ message }, ctx) =>
      elicitOnce(ctx, 'user', message, {
        username: { type: 'string', description: "The user's name" },
        email: { type: 'string', description: "The user's email address", format: 'email' },
      }),
  );

  server.registerTool(
    'test_elicitation_sep1034_defaults',
    { description: 'Elicits a form whose fields carry default values (SEP-1034)', inputSchema: NoArguments },
    async (_args, ctx) =>
      elicitOnce(ctx, 'form', 'Please review and update the form fields with defaults', {
        name: { type: 'string', description: 'User name', default: 'John Doe' },
        age: { type: 'integer', description: 'User age', default: 30 },
        score: { type: 'number', description: 'User score', default: 95.5 },
        status: {
          type: 'string',
          description: 'User status',
          enum: ['active', 'inactive', 'pending'],
          default: 'active',
        },
        verified: { type: 'boolean', description: 'Verification status', default: true },
      }),
  );

  server.registerTool(
    'test_elicitation_sep1330_enums',
    { description: 'Elicits every enum shape of SEP-1330', inputSchema: NoArguments },
    async (_args, ctx) =>
      elicitOnce(ctx, 'enums', 'Please select options from the enum fields', {
        untitledSingle: { type: 'string', description: 'Select one option', enum: ['option1', 'option2', 'option3'] },
        titledSingle: {
          type: 'string',
          description: 'Select one option with titles',
          oneOf: [
            { const: 'value1', title: 'First Option' },
            { const: 'value2', title: 'Second Option' },
            { const: 'value3', title: 'Third Option' },
          ],
        },
        legacyEnum: {
          type: 'string',
          description: 'Select one option (legacy)',
          enum: ['opt1', 'opt2', 'opt3'],
          enumNames: ['Option One', 'Option Two', 'Option Three'],
        },
        untitledMulti: {
          type: 'array',
          description: 'Select multiple options',
          minItems: 1,
          maxItems: 3,
          items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
        },
        titledMulti: {
          type: 'array',
          description: 'Select multiple options with titles',
          minItems: 1,
          maxItems: 3,
          items: {
            anyOf: [
              { const: 'value1', title: 'First Choice' },
              { const: 'value2', title: 'Second Choice' },
              { const: 'value3', title: 'Third Choice' },
            ],
          },
        },
      }),
  );
}

type ElicitProperties = ElicitRequestFormParams['requestedSchema']['properties'];

function elicitOnce(
  ctx: ServerContext,
  key: string,
  message: string,
  properties: ElicitProperties,
): CallToolResult | InputRequiredResult {
  const answer = ctx.mcpReq.inputResponses?.[key] as { action?: string; content?: unknown } | undefined;
  if (answer === undefined) {
    return inputRequired({
      inputRequests: { [key]: inputRequired.elicit({ message, requestedSchema: { type: 'object', properties } }) },
    });
  }
  return text(`Elicitation ${answer.action ?? 'answered'}: ${JSON.stringify(answer.content ?? {})}`);
}
