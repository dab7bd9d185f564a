/**
 * What a benchmark request looks like on the wire: a modern (2026-07-28) tools/call POST with
 * the protocol headers, a bearer token and the `_meta` envelope. The same for every target, so
 * the load generator does the same work per request whatever it measures.
 */
export const PROTOCOL = '2026-07-28';
export const META = `"_meta":{"io.modelcontextprotocol/protocolVersion":"${PROTOCOL}","io.modelcontextprotocol/clientCapabilities":{}}`;

/** What every request carries, whatever the target: the modern headers and the bearer token. */
export const modernHeaders = (token, tool) => ({
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
  'MCP-Protocol-Version': PROTOCOL,
  'Mcp-Method': 'tools/call',
  'Mcp-Name': tool,
  Authorization: `Bearer ${token}`,
});

/** A JSON-RPC tools/call body with the `_meta` envelope. */
export const toolCallBody = (id, name, args) =>
  `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":${JSON.stringify(name)},"arguments":${JSON.stringify(args)},${META}}}`;
