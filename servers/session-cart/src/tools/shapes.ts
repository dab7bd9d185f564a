/**
 * Arguments and sentences shared by the session cart's tools. The SKU rule is checked by the
 * input schema, so a malformed SKU is refused before any handler runs.
 */
import * as z from 'zod/v4';
import { SKU_PATTERN } from '../cart.js';

export const skuArgument = z
  .string()
  .regex(SKU_PATTERN, 'a SKU is three capital letters, a dash and four digits, such as "TEA-0001"')
  .describe('Product SKU such as "TEA-0001" (three capital letters, a dash, four digits).');

/** Said by every tool, because it is the whole difference from the sessionless cart. */
export const SESSION_SCOPE =
  "The cart belongs to this connection's MCP session: no other connection or subagent can see it, " +
  'and it is lost when the session ends or the server process restarts.';
