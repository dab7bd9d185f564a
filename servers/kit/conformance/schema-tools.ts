/**
 * Tools for the suite's pending schema scenarios (scored by no requirement set yet, run anyway):
 * a raw JSON Schema 2020-12 input schema listed verbatim, and an argument mirrored into an
 * `Mcp-Param-*` header (SEP-2243) declared with the kit's own `handleIdArgument`, the helper the
 * reference servers use for their handle arguments.
 */
import { fromJsonSchema, type McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';
import { handleIdArgument } from '../src/index.js';

export const schemaToolNames = ['json_schema_2020_12_tool', 'test_x_mcp_header'];

export function registerSchemaTools(server: McpServer): void {
  server.registerTool(
    'json_schema_2020_12_tool',
    {
      description: 'Lists a JSON Schema 2020-12 input schema exactly as written',
      inputSchema: fromJsonSchema({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        $defs: {
          address: {
            $anchor: 'addressDef',
            type: 'object',
            properties: { street: { type: 'string' }, city: { type: 'string' } },
          },
        },
        properties: {
          name: { type: 'string' },
          address: { $ref: '#/$defs/address' },
          contactMethod: { type: 'string', enum: ['phone', 'email'] },
          phone: { type: 'string' },
          email: { type: 'string' },
        },
        allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
        if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
        then: { required: ['phone'] },
        else: { required: ['email'] },
        additionalProperties: false,
      }),
    },
    async (args) => ({ content: [{ type: 'text', text: `called with ${JSON.stringify(args)}` }] }),
  );

  const widget = { noun: 'widget', prefix: 'wdg', createTool: 'widget_create' };
  server.registerTool(
    'test_x_mcp_header',
    {
      description: 'Echoes a handle argument that clients mirror into the Mcp-Param-Widget-Id header',
      inputSchema: z.object({ widget_id: handleIdArgument(widget, 'Widget-Id') }),
    },
    async ({ widget_id }) => ({ content: [{ type: 'text', text: `widget_id=${widget_id}` }] }),
  );
}
