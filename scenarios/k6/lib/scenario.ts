/**
 * The workload, read from `scenarios/shopping-team.json`: the same `scale` section the harness
 * runs, so k6 and the harness drive the same agents, tool mix and durations. The file is read
 * once for the whole test (SharedArray) and checked here, so a bad file fails in the init stage
 * with the field that is wrong.
 */
import { SharedArray } from 'k6/data';

export interface MixEntry {
  tool: string;
  weight: number;
}

export interface Workload {
  name: string;
  agents: number;
  mix: MixEntry[];
}

export interface Scenario {
  seconds: number;
  warmupSeconds: number;
  workloads: Workload[];
  /** The shoppers' search words: setup finds the products to add with them. */
  searches: string[];
  /** Products with less stock than this are left out of the adds. */
  minStock: number;
}

interface ScenarioFile {
  scale?: { seconds?: number; warmupSeconds?: number; workloads?: Workload[] };
  shoppers?: { search: string }[];
  minStock?: number;
}

// Relative to this module, not to the script k6 was started with (k6 #3857).
const FILE = import.meta.resolve('../../shopping-team.json');

const loaded = new SharedArray<Scenario>('shopping-team scale', () => {
  const file = JSON.parse(open(FILE)) as ScenarioFile;
  const scale = file.scale;
  if (!scale) throw new Error(`${FILE} has no "scale" section`);
  const scenario: Scenario = {
    seconds: positive(scale.seconds, 'scale.seconds'),
    warmupSeconds: scale.warmupSeconds ?? 0,
    workloads: scale.workloads ?? [],
    searches: (file.shoppers ?? []).map((shopper) => shopper.search),
    minStock: file.minStock ?? 1,
  };
  if (scenario.searches.length === 0) throw new Error(`${FILE} has no shoppers to take search words from`);
  return [scenario];
});

export const scenario = loaded[0] as Scenario;

function positive(value: number | undefined, field: string): number {
  if (typeof value !== 'number' || !(value > 0)) throw new Error(`${FILE}: ${field} must be a positive number`);
  return value;
}

/** The named workload, or an init-stage error: no such workload, or a tool the script cannot drive. */
export function workload(name: string, drivenTools: readonly string[]): Workload {
  const found = scenario.workloads.find((candidate) => candidate.name === name);
  const names = scenario.workloads.map((candidate) => candidate.name).join(', ');
  if (!found) throw new Error(`${FILE} has no scale workload named "${name}" (it has: ${names || 'none'})`);
  if (!(found.agents > 0)) throw new Error(`${FILE}: workload "${name}" needs agents > 0`);
  if (found.mix.length === 0 || found.mix.some((entry) => !(entry.weight > 0)))
    throw new Error(`${FILE}: workload "${name}" needs a mix of tools with positive weights`);
  const unknown = found.mix.filter((entry) => !drivenTools.includes(entry.tool)).map((entry) => entry.tool);
  if (unknown.length > 0)
    throw new Error(
      `${FILE}: workload "${name}" mixes in ${unknown.join(', ')}; this script drives ${drivenTools.join(', ')}`,
    );
  return found;
}

/** A tool from the mix, each drawn with probability weight / total weight. */
export function pickTool(mix: readonly MixEntry[]): string {
  const total = mix.reduce((sum, entry) => sum + entry.weight, 0);
  let draw = Math.random() * total;
  for (const entry of mix) {
    draw -= entry.weight;
    if (draw < 0) return entry.tool;
  }
  return (mix[mix.length - 1] as MixEntry).tool;
}
