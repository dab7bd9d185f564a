/**
 * Load shapes from the scenario file: ramp up to the workload's agents during `warmupSeconds`,
 * then hold them for `seconds`. One VU is one agent. Samples carry a `phase` tag (warmup or
 * measure) so latency thresholds can judge the steady state only, while error thresholds judge
 * every call.
 */
import exec from 'k6/execution';
import type { Scenario as K6Scenario } from 'k6/options';
import { scenario, type Workload } from './scenario.ts';

export function loadShape(workload: Workload): Record<string, K6Scenario> {
  const hold = { duration: `${scenario.seconds}s`, target: workload.agents };
  const rampUp = { duration: `${scenario.warmupSeconds}s`, target: workload.agents };
  return {
    [workload.name]: {
      executor: 'ramping-vus',
      startVUs: scenario.warmupSeconds > 0 ? 1 : workload.agents,
      stages: scenario.warmupSeconds > 0 ? [rampUp, hold] : [hold],
      // In-flight calls finish rather than being cut: a cut add would be applied but never acknowledged.
      gracefulRampDown: '30s',
      gracefulStop: '30s',
    },
  };
}

/** Tags this VU's next samples with the phase the scenario is in; call it first in every iteration. */
export function markPhase(): void {
  const elapsedMs = Date.now() - exec.scenario.startTime;
  exec.vu.metrics.tags.phase = elapsedMs < scenario.warmupSeconds * 1000 ? 'warmup' : 'measure';
}
