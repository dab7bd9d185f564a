/**
 * The `scale` section of a scenario file: the tool workloads that `sessionless-harness scale`
 * and the k6 scripts drive, and the defaults of a scale run (instances, routings, window).
 */
import * as z from 'zod/v4';
import { ROUTINGS } from './routings.js';

const agents = z.number().int().min(1).max(512);

export const workloadSpec = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'expected lowercase letters, digits and dashes, like "cart"')
      .describe('Names the workload in reports: target "workload:<name>"'),
    description: z.string().min(1).describe('One line for reports'),
    agents: agents.describe('Virtual agents working at once (closed loop)'),
    mix: z
      .array(
        z.strictObject({
          tool: z.string().min(1).describe('A tool of one of the servers, e.g. "cart_add_item"'),
          weight: z.number().int().min(1).max(1000).describe('Relative share of calls'),
        }),
      )
      .min(1)
      .describe('Which tools the agents call, by weight'),
  })
  .strict();

export const scaleSpec = z
  .object({
    instances: z.array(z.number().int().min(1).max(16)).min(1).default([1, 2]).describe('Values of K to run'),
    routings: z
      .array(z.enum(ROUTINGS))
      .min(1)
      .default([...ROUTINGS])
      .describe('How requests find an instance'),
    seconds: z.number().min(0.5).max(600).default(5).describe('Measured window of each run'),
    warmupSeconds: z.number().min(0).max(120).default(1.5).describe('Unrecorded load before each window'),
    workloads: z.array(workloadSpec).min(1),
    baselines: z.strictObject({ agents }).default({ agents: 32 }).describe('Agents for the raw and echo baselines'),
    sessionCart: z
      .strictObject({ agents })
      .default({ agents: 8 })
      .describe('Agents (each its own session) for the session-scoped baseline cart'),
  })
  .strict();

export type ScaleSpec = z.infer<typeof scaleSpec>;
export type WorkloadSpec = z.infer<typeof workloadSpec>;
