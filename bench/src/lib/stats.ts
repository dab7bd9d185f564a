/**
 * The arithmetic the workspace and browser reports share: ranks of sorted samples and rounding.
 * Pure functions; nothing here reads the clock or the machine.
 */

export const sortNumbers = (values: number[]): number[] => [...values].sort((a, b) => a - b);

/** The sorted value at index floor(q * n): for q = 0.5 the upper of the two middle values. */
export function rankAt(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export const round1 = (value: number): number => Math.round(value * 10) / 10;
export const round2 = (value: number): number => Math.round(value * 100) / 100;
