/**
 * Fixture tools the conformance suite calls by name: content types, logging, progress, tool
 * errors, and the diagnostics of the 2026-07-28 `server-stateless` scenario. Notifications go through `ctx.mcpReq.notify`, which rides the
 * response stream of the request itself: a sessionless server has no other stream to use.
 */
import {
  inputRequired,
  type CallToolResult,
  type InputRequiredResult,
  type McpServer,
} from '@modelcontextprotocol/server';
import * as z from 'zod/v4';

// A 1x1 PNG and a minimal WAV file, as the suite's reference server sends them.
export const TEST_IMAGE_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const TEST_AUDIO_BASE64 = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';

const NoArguments = z.object({});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });

export const contentToolNames = [
  'test_simple_text',
  'test_image_content',
  'test_audio_content',
  'test_embedded_resource',
  'test_multiple_content_types',
  'test_tool_with_logging',
  'test_tool_with_progress',
  'test_error_handling',
  'test_missing_capability',
  'test_streaming_elicitation',
  'test_logging_tool',
];

export function registerContentTools(server: McpServer): void {
  server.registerTool(
    'test_simple_text',
    { description: 'Returns one text content item', inputSchema: NoArguments },
    async () => text('This is a simple text response for testing.'),
  );

  server.registerTool(
    'test_image_content',
    { description: 'Returns one image content item (a 1x1 PNG)', inputSchema: NoArguments },
    async () => ({ content: [{ type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' }] }),
  );

  server.registerTool(
    'test_audio_content',
    { description: 'Returns one audio content item (a tiny WAV)', inputSchema: NoArguments },
    async () => ({ content: [{ type: 'audio', data: TEST_AUDIO_BASE64, mimeType: 'audio/wav' }] }),
  );

  server.registerTool(
    'test_embedded_resource',
    { description: 'Returns one embedded text resource', inputSchema: NoArguments },
    async () => ({
      content: [
        {
          type: 'resource',
          resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource.' },
        },
      ],
    }),
  );

  server.registerTool(
    'test_multiple_content_types',
    { description: 'Returns text, image and embedded resource content together', inputSchema: NoArguments },
    async () => ({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  );

  // Sent with notify, not ctx.mcpReq.log: a 2025 client's logging/setLevel arrived on an earlier
  // POST that a different McpServer instance answered, so no level survives to filter on.
  server.registerTool(
    'test_tool_with_logging',
    { description: 'Sends three log notifications while it runs', inputSchema: NoArguments },
    async (_args, ctx) => {
      for (const step of ['Tool execution started', 'Tool processing data', 'Tool execution completed']) {
        await ctx.mcpReq.notify({ method: 'notifications/message', params: { level: 'info', data: step } });
        await sleep(50);
      }
      return text('Tool with logging executed successfully');
    },
  );

  server.registerTool(
    'test_tool_with_progress',
    {
      description: 'Reports progress 0, 50 and 100 of 100 when the caller sent a progress token',
      inputSchema: NoArguments,
    },
    async (_args, ctx) => {
      const progressToken = ctx.mcpReq._meta?.progressToken;
      // The spec forbids progress notifications the caller did not ask for with a token.
      if (progressToken !== undefined) {
        for (const progress of [0, 50, 100]) {
          await ctx.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken, progress, total: 100, message: `step ${progress} of 100` },
          });
          if (progress < 100) await sleep(50);
        }
      }
      return text(`progress reported for token ${String(progressToken ?? '(none)')}`);
    },
  );

  server.registerTool(
    'test_error_handling',
    { description: 'Always fails with a tool error (isError: true)', inputSchema: NoArguments },
    async () => ({
      isError: true,
      content: [{ type: 'text', text: 'This tool intentionally returns an error for testing.' }],
    }),
  );

  registerStatelessDiagnostics(server);
}

/** Tools the 2026-07-28 `server-stateless` scenario calls to probe specific requirements. */
function registerStatelessDiagnostics(server: McpServer): void {
  // Called with no client capabilities: the SDK must refuse the sampling request with -32021.
  server.registerTool(
    'test_missing_capability',
    { description: 'Needs the sampling client capability (exercises the -32021 refusal)', inputSchema: NoArguments },
    async (_args, ctx): Promise<CallToolResult | InputRequiredResult> => {
      if (ctx.mcpReq.inputResponses?.['llm_answer'] === undefined) {
        return inputRequired({
          inputRequests: {
            llm_answer: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: 'Reply with the single word: pong' } }],
              maxTokens: 16,
            }),
          },
        });
      }
      return text('sampling round trip complete');
    },
  );

  // The response stream must carry no server-to-client JSON-RPC request of its own.
  server.registerTool(
    'test_streaming_elicitation',
    { description: 'Answers with result frames only, never a top-level request', inputSchema: NoArguments },
    async () => text('stream observed: result frames only'),
  );

  // ctx.mcpReq.log honours the level in the request's _meta; without one nothing may be sent.
  server.registerTool(
    'test_logging_tool',
    { description: 'Logs through the request-scoped, level-gated channel', inputSchema: NoArguments },
    async (_args, ctx) => {
      await ctx.mcpReq.log('info', 'test_logging_tool ran');
      return text('logged only if the request asked for a log level');
    },
  );
}
