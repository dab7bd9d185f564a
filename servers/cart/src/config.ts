/**
 * The cart server's settings: the shared server settings plus cart lifetimes and quota.
 */
import { audienceSetting, duration, port, positiveInt, serverConfigShape } from '@sessionless/kit';
import * as z from 'zod/v4';

export interface CartLimits {
  idleTtlMs: number;
  absoluteTtlMs: number;
  quotaPerPrincipal: number;
}

export const DEFAULT_CART_LIMITS: CartLimits = {
  idleTtlMs: 86_400_000,
  absoluteTtlMs: 7 * 86_400_000,
  quotaPerPrincipal: 20,
};

export const cartConfigSchema = z.object({
  ...serverConfigShape,
  JWT_AUDIENCE: audienceSetting('cart'),
  PORT: port.default(3101),
  CART_IDLE_TTL: duration.default(DEFAULT_CART_LIMITS.idleTtlMs),
  CART_MAX_LIFETIME: duration.default(DEFAULT_CART_LIMITS.absoluteTtlMs),
  CART_QUOTA: positiveInt.default(DEFAULT_CART_LIMITS.quotaPerPrincipal),
});

export type CartConfig = z.infer<typeof cartConfigSchema>;
