/**
 * The machine a report was measured on (Node, platform, CPUs, memory), recorded in every report
 * so a reader can tell a slow machine from a slow design.
 */
import { arch, cpus, platform, totalmem } from 'node:os';

export interface Machine {
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
}

export function machine(): Machine {
  const cores = cpus();
  return {
    node: process.versions.node,
    platform: platform(),
    arch: arch(),
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}
