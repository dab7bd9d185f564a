/**
 * The conformance fixture server: the tools, resources and prompts the official MCP conformance
 * suite (@modelcontextprotocol/conformance) calls by name, served through the kit's `serveHttp`
 * exactly like the reference servers (fresh McpServer per request, Host/Origin checks, bearer
 * auth in anonymous mode, body limit, /metrics). It exists to prove the kit, not to teach;
 * `scripts/conformance.sh` runs it. Run: `PORT=0 node --import tsx servers/kit/conformance/fixture-server.ts`.
 */
import * as z from 'zod/v4';
import {
  ConfigError,
  createAuthenticator,
  createLogger,
  createMetrics,
  isLoopback,
  loadConfig,
  serveHttp,
  serverConfigShape,
} from '../src/index.js';
import { createFixtureServer, FIXTURE_INFO, FIXTURE_TOOL_NAMES } from './fixture.js';

const fixtureConfigSchema = z.object({
  HOST: serverConfigShape.HOST,
  PORT: serverConfigShape.PORT,
  LOG_LEVEL: serverConfigShape.LOG_LEVEL,
  MAX_BODY_BYTES: serverConfigShape.MAX_BODY_BYTES,
});

try {
  const config = loadConfig(fixtureConfigSchema);
  // Anonymous on purpose (the suite sends no token), which the kit only allows on loopback.
  if (!isLoopback(config.HOST)) throw new ConfigError(`HOST=${config.HOST}: the fixture only binds loopback`);
  const logger = createLogger('conformance-fixture', config.LOG_LEVEL);
  const http = await serveHttp({
    ...FIXTURE_INFO,
    factory: createFixtureServer,
    authenticator: createAuthenticator({ mode: 'anonymous' }),
    metrics: createMetrics('conformance-fixture'),
    logger,
    host: config.HOST,
    port: config.PORT,
    maxBodyBytes: config.MAX_BODY_BYTES,
    toolNames: FIXTURE_TOOL_NAMES,
  });
  logger.info({ url: http.url }, 'listening');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void http.close().finally(() => process.exit(0)));
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`conformance-fixture: ${error.message}\n`);
  process.exit(1);
}
