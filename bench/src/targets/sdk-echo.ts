/**
 * The baseline: the SDK's stock stateless server, wired exactly as the SDK documents it for
 * `node:http`: `createMcpHandler` with a fresh McpServer per request, `toNodeHandler` and
 * `localhostHostValidation`, one `echo` tool with a zod input schema. No auth and none of the
 * kit's optimisations: this is what a user gets out of the box.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localhostHostValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 0);

const EchoIn = z.object({ text: z.string() });

const handler = createMcpHandler(
  () => {
    const server = new McpServer({ name: 'sdk-echo', version: '1.0.0' });
    server.registerTool('echo', { description: 'Echo', inputSchema: EchoIn }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    return server;
  },
  { onerror: (error) => process.stderr.write(`${JSON.stringify({ msg: 'mcp handler error', err: error.message })}\n`) },
);

const node = toNodeHandler(handler);
const validateHost = localhostHostValidation();

const server = createServer((req, res) => {
  if (validateHost(req, res)) void node(req, res);
});
server.listen(port, host, () => {
  const url = `http://${host}:${(server.address() as AddressInfo).port}/mcp`;
  process.stderr.write(`${JSON.stringify({ name: 'sdk-echo', pid: process.pid, url, msg: 'listening' })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
