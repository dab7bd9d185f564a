/**
 * The stock echo tool served the way the reference servers serve: through @sessionless/kit's
 * serveHttp (own body parsing passed as parsedBody, Host/Origin checks, JWT verified per request,
 * metrics) and a per-request McpServer built from a defineTool definition. Next to the stock echo
 * it isolates what the kit's serving layer costs or saves; next to the cart, what the cart's own
 * work (a durable SQLite write, the handle check) costs.
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

const config = loadConfig(serverConfigSchema);
const logger = createLogger('kit-echo', 'warn');
const metrics = createMetrics('kit-echo');
const echo = defineTool({
  name: 'echo',
  title: 'Echo',
  description: 'Echo the text back',
  input: z.object({ text: z.string().max(1000).describe('Text to echo') }),
  output: z.object({ echo: z.string() }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  handler: async ({ text }) => ({ structured: { echo: text }, text }),
});
const registrations = [
  { name: echo.name, config: toolConfig(echo, {}), callback: toolCallback(echo, {}, { metrics, logger }) },
];

const http = await serveHttp({
  name: 'kit-echo',
  version: '0.1.0',
  factory: (request) => {
    const server = new McpServer({ name: 'kit-echo', version: '0.1.0' }, { cacheHints: publicListCacheHints(60_000) });
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
process.stderr.write(`${JSON.stringify({ msg: 'listening', url: http.url })}\n`);
process.once('SIGTERM', () => void http.close().then(() => process.exit(0)));
