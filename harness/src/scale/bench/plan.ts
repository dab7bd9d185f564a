/**
 * The order of the micro-benchmark's windows, decided before anything starts: each target warms
 * up once, in list order, then every round measures each target once, the order reversed every
 * other round, so slow drift on the machine falls on every target alike.
 */

export interface BenchStep {
  target: string;
  phase: 'warm-up' | 'window';
  /** 1-based; 0 for the warm-up. */
  round: number;
}

export function planBench(targets: readonly string[], repeats: number, warmUp: boolean): BenchStep[] {
  const steps: BenchStep[] = warmUp ? targets.map((target) => ({ target, phase: 'warm-up', round: 0 })) : [];
  for (let round = 1; round <= repeats; round++) {
    const order = round % 2 === 1 ? targets : [...targets].reverse();
    steps.push(...order.map((target): BenchStep => ({ target, phase: 'window', round })));
  }
  return steps;
}
