/**
 * The stock echo tool served the way the reference servers serve: through the kit (its own body
 * parsing, Host/Origin checks, a JWT verified per request, metrics) and a per-request McpServer
 * built from a defineTool definition. Next to the stock echo it shows what the kit's serving costs
 * or saves; next to the cart, what the cart's own work costs. The kit is used in `serve` only.
 */
import { McpServer } from '@modelcontextprotocol/server';
import {
  authSettingsFrom,
  createAuthenticator,
  createLogger,
  createMetrics,
  defineTool,
  loadConfig,
  publicListCacheHints,
  serveHttp,
  serverConfigSchema,
  toolCallback,
  toolConfig,
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

const { url, close } = await serve();
process.stderr.write(`${JSON.stringify({ msg: 'listening', url })}\n`);
process.once('SIGTERM', () => void close().then(() => process.exit(0)));

/** Everything this target asks of the kit: configuration, auth, metrics, and serving the echo. */
async function serve(): Promise<{ url: string; close(): Promise<void> }> {
  const config = loadConfig(serverConfigSchema);
  const logger = createLogger('kit-echo', 'warn');
  const metrics = createMetrics('kit-echo');
  const registrations = [
    { name: echo.name, config: toolConfig(echo, {}), callback: toolCallback(echo, {}, { metrics, logger }) },
  ];
  return serveHttp({
    name: 'kit-echo',
    version: '0.1.0',
    factory: (request) => {
      const server = new McpServer(
        { name: 'kit-echo', version: '0.1.0' },
        { cacheHints: publicListCacheHints(60_000) },
      );
      for (const { name, config: toolConfigValue, callback } of toolsFor(registrations, request)) {
        server.registerTool(name, toolConfigValue, callback);
      }
      return server;
    },
    authenticator: createAuthenticator(authSettingsFrom(config)),
    metrics,
    logger,
    host: config.HOST,
    port: config.PORT,
    maxBodyBytes: config.MAX_BODY_BYTES,
    toolNames: ['echo'],
  });
}
