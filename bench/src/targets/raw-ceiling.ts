/**
 * The ceiling: a raw `node:http` JSON-RPC responder. It reads and parses the request body (so it
 * pays what any JSON server pays) and answers every POST with a fixed tools/call result carrying
 * the request's id. No MCP machinery, no validation, no auth: nothing a real server could skip.
 */
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 0);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let id: unknown = null;
    try {
      id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown }).id ?? null;
    } catch {
      // A body that is not JSON still gets the fixed answer; the ceiling does not validate.
    }
    const body = JSON.stringify({
      result: { content: [{ type: 'text', text: 'hello' }], resultType: 'complete' },
      jsonrpc: '2.0',
      id,
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});

server.keepAliveTimeout = 30_000;
server.listen(port, host, () => {
  const url = `http://${host}:${(server.address() as AddressInfo).port}/mcp`;
  process.stderr.write(`${JSON.stringify({ name: 'raw-ceiling', pid: process.pid, url, msg: 'listening' })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
