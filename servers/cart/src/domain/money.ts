/**
 * Currencies a cart can be priced in. Catalog prices are USD cents; other currencies use fixed
 * demo rates so totals are reproducible across runs and instances.
 */
export const CURRENCIES = ['USD', 'EUR', 'GBP'] as const;
export type Currency = (typeof CURRENCIES)[number];

const RATE_FROM_USD: Record<Currency, number> = { USD: 1, EUR: 0.92, GBP: 0.79 };

export function convertCents(usdCents: number, currency: Currency): number {
  return Math.round(usdCents * RATE_FROM_USD[currency]);
}

export function formatMoney(cents: number, currency: Currency): string {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}
