/**
 * The cart server's settings: the shared server settings plus cart lifetimes and quota.
 */
import { duration, port, positiveInt, serverConfigShape } from '@sessionless/kit';
import * as z from 'zod/v4';

export const cartConfigSchema = z.object({
  ...serverConfigShape,
  PORT: port.default(3101),
  CART_IDLE_TTL: duration.default(86_400_000),
  CART_MAX_LIFETIME: duration.default(7 * 86_400_000),
  CART_QUOTA: positiveInt.default(20),
});

export type CartConfig = z.infer<typeof cartConfigSchema>;
