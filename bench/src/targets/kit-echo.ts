/**
 * The stock echo tool served the way the reference servers serve: through the kit (its own body
 * parsing, Host/Origin checks, a JWT verified per request, metrics) and a per-request McpServer
 * built from a defineTool definition, its calls answered on the kit's lean path (LEAN_PATH=off:
 * through the SDK's handler). Next to the stock echo it shows what the kit's serving costs or
 * saves; next to the cart, what the cart's own work costs. The kit is used in `serve` only.
 */
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import {
  bindTools,
  createLogger,
  createMetrics,
  defineTool,
  listen,
  loadConfig,
  publicListCacheHints,
  serverConfigSchema,
  toolsFor,
} from '@sessionless/kit';
import * as z from 'zod/v4';

const echo = defineTool({
  name: 'echo',
  title: 'Echo',
  description: 'Echo the text back',
  input: z.object({ text: z.string().max(1000).describe('Text to echo') }),
  output: z.object({ echo: z.string() }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  handler: async ({ text }) => ({ structured: { echo: text }, text }),
});

await serve();

/**
 * Everything this target asks of the kit: configuration, auth, metrics, and serving the echo the
 * way a server's `main.ts` does (the SDK's `createMcpHandler` behind the kit's `listen`, which logs
 * the "listening" line and stops on SIGTERM).
 */
async function serve(): Promise<void> {
  const config = loadConfig(serverConfigSchema);
  const logger = createLogger('kit-echo', config.LOG_LEVEL);
  const metrics = createMetrics('kit-echo');
  const tools = bindTools([echo], {}, { metrics, logger });
  const handler = createMcpHandler(
    (request) => {
      const server = new McpServer(
        { name: 'kit-echo', version: '0.1.0' },
        { cacheHints: publicListCacheHints(60_000) },
      );
      for (const { name, config: toolConfigValue, callback } of toolsFor(tools, request)) {
        server.registerTool(name, toolConfigValue, callback);
      }
      return server;
    },
    { legacy: 'stateless' },
  );
  const runtime = { logger, metrics, close: async () => {} };
  await listen(handler, { info: { name: 'kit-echo', version: '0.1.0' }, config, runtime, tools });
}
