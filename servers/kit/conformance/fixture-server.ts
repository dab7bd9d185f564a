/**
 * The conformance fixture server: the tools, resources and prompts the official MCP conformance
 * suite (@modelcontextprotocol/conformance) calls by name, served exactly like the reference
 * servers (the SDK's `createMcpHandler`, a fresh McpServer per request, behind the kit's
 * `listen`: Host/Origin checks, bearer auth in anonymous mode, body limit, /metrics). It exists
 * to prove the kit, not to teach; `scripts/conformance.sh` runs it.
 * Run: `PORT=0 node --import tsx servers/kit/conformance/fixture-server.ts`.
 */
import { createMcpHandler } from '@modelcontextprotocol/server';
import {
  ConfigError,
  createLogger,
  createMetrics,
  isLoopback,
  listen,
  loadConfig,
  runMain,
  serverConfigSchema,
} from '../src/index.js';
import { createFixtureServer, FIXTURE_INFO, FIXTURE_TOOL_NAMES } from './fixture.js';

await runMain('conformance-fixture', async () => {
  const config = loadConfig(serverConfigSchema);
  // Anonymous on purpose (the suite sends no token), which the kit only allows on loopback.
  if (!isLoopback(config.HOST) || config.JWT_SECRET || config.JWT_JWKS_URL) {
    throw new ConfigError(`HOST=${config.HOST}: the fixture only binds loopback, with no auth`);
  }
  const runtime = {
    logger: createLogger('conformance-fixture', config.LOG_LEVEL),
    metrics: createMetrics('conformance-fixture'),
    close: async () => {},
  };
  const handler = createMcpHandler(createFixtureServer, { legacy: 'stateless' });
  // The fixture registers its tools on the McpServer directly, so the lean path holds none of
  // them: it answers the fixture's lists, and every call goes to the SDK.
  await listen(handler, { info: FIXTURE_INFO, config, runtime, tools: [], otherToolNames: FIXTURE_TOOL_NAMES });
});
