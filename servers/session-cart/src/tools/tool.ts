/**
 * A tool is one declarative object (schemas, description, annotations, handler), the same shape
 * the sessionless servers use, except that the handler is given the session's cart instead of a
 * cart_id to look up. `registerTool` puts one on a session's McpServer.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type * as z from 'zod/v4';
import { CartError, type SessionCart } from '../cart.js';

export interface ToolReply<T> {
  /** Validated against the output schema and returned as `structuredContent`. */
  structured: T;
  /** A short rendering for clients that only read text content. */
  text: string;
}

export interface Tool<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: Omit<ToolAnnotations, 'title'>;
  handler(args: z.output<I>, cart: SessionCart): Promise<ToolReply<z.input<O>>>;
}

export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(tool: Tool<I, O>): Tool<I, O> {
  return tool;
}

/** Registers `tool` on a session's server; a CartError becomes an `isError` result with its sentence. */
export function registerTool(server: McpServer, tool: Tool, cart: SessionCart): void {
  const config = {
    title: tool.title,
    description: tool.description,
    inputSchema: tool.input,
    outputSchema: tool.output,
    annotations: { title: tool.title, ...tool.annotations },
  };
  server.registerTool(tool.name, config, async (args: z.output<z.ZodObject>) => {
    try {
      const reply = await tool.handler(args, cart);
      return {
        content: [{ type: 'text', text: reply.text }],
        structuredContent: reply.structured as Record<string, unknown>,
      };
    } catch (error) {
      if (error instanceof CartError) return { isError: true, content: [{ type: 'text', text: error.message }] };
      throw error;
    }
  });
}
