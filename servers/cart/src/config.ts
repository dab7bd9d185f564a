/**
 * The cart server's settings: the shared server settings plus cart lifetimes and quota.
 */
import { duration, port, positiveInt, serverConfigShape } from '@sessionless/kit';
import * as z from 'zod/v4';
import { DEFAULT_CART_LIMITS } from './deps.js';

export const cartConfigSchema = z.object({
  ...serverConfigShape,
  PORT: port.default(3101),
  CART_IDLE_TTL: duration.default(DEFAULT_CART_LIMITS.idleTtlMs),
  CART_MAX_LIFETIME: duration.default(DEFAULT_CART_LIMITS.absoluteTtlMs),
  CART_QUOTA: positiveInt.default(DEFAULT_CART_LIMITS.quotaPerPrincipal),
});

export type CartConfig = z.infer<typeof cartConfigSchema>;
