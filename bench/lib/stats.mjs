/**
 * The arithmetic every benchmark report shares: percentiles, medians, rounding, and a growable
 * recorder of response times. Pure functions; nothing here reads the clock or the machine.
 */

/** Median (the mean of the two middle values for an even count); null when there are none. */
export function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile of sorted values: the smallest value with a share q at or below it. */
export function nearestRank(sorted, q) {
  const count = sorted.length;
  return count ? sorted[Math.min(count - 1, Math.ceil(q * count) - 1)] : null;
}

/**
 * The sorted value at index floor(q * n): for q = 0.5 the upper of the two middle values. The
 * browser and fork/merge tables read their percentiles and medians this way.
 */
export function rankAt(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export const sortNumbers = (values) => [...values].sort((a, b) => a - b);

export function mapValues(object, f) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, value === null ? null : f(value)]));
}

/** Rounds to `digits` decimals; a missing figure (null or undefined) stays null, not 0. */
const roundTo = (digits) => (value) =>
  value === null || value === undefined ? null : Math.round(value * 10 ** digits) / 10 ** digits;
export const round1 = roundTo(1);
export const round2 = roundTo(2);
export const round3 = roundTo(3);

/** Every response time of a run, exact (autocannon's own histogram rounds to whole ms). */
export class Latencies {
  values = new Float64Array(1 << 16);
  count = 0;
  record(ms) {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = ms;
  }
  summary() {
    const sorted = this.values.slice(0, this.count).sort();
    const at = (q) => nearestRank(sorted, q);
    const mean = this.count ? sorted.reduce((sum, value) => sum + value, 0) / this.count : null;
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), mean };
  }
}
