/**
 * What every scenario has in common: the fields of its data file shared by all kinds, and the
 * contract between the runner and a scenario's script. A script drives actors through the
 * counted part of a run and returns its own verdicts (checks); an optional probe by a second
 * principal and the clean-up happen afterwards, outside the counted window.
 */
import * as z from 'zod/v4';
import type { Endpoint } from '../fleet/fleet.js';
import { SERVER_NAMES } from '../fleet/servers.js';
import type { Actor } from '../refetch/actor.js';
import { POLICY_NAMES, type ClientPolicy } from '../refetch/policies.js';
import { scaleSpec } from '../scale/spec.js';

const subagentCount = z.number().int().min(1).max(64);

export const baseScenarioShape = {
  $schema: z.string().optional().describe('Editor hint; ignored'),
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'expected lowercase letters, digits and dashes, like "shopping-team"')
    .describe('The name used on the command line; the file is scenarios/<name>.json'),
  title: z.string().min(1).describe('One line for reports'),
  description: z.string().min(1).describe('What the scenario does and what it checks'),
  servers: z
    .array(z.enum(SERVER_NAMES))
    .min(1)
    .describe('The servers the scenario needs; the harness starts these (or uses --url ones)'),
  subagents: subagentCount.describe('Subagents for `run` (besides the orchestrator)'),
  sweep: z.array(subagentCount).min(1).describe('Subagent counts for `sweep`'),
  policies: z
    .array(z.enum(POLICY_NAMES))
    .min(1)
    .default([...POLICY_NAMES])
    .describe('Client policies to run and compare, in order'),
  concurrency: z.number().int().min(1).max(64).default(8).describe('Most subagents working at once'),
  timeoutSeconds: z.number().int().min(10).max(3600).default(300).describe('Time limit for one policy run'),
  secondPrincipal: z
    .boolean()
    .default(true)
    .describe("After the counted run, a second user tries the team's handles and must be refused"),
  scale: scaleSpec.optional().describe('What `sessionless-harness scale` and the k6 scripts drive'),
};

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ScriptContext<S> {
  scenario: S;
  policy: ClientPolicy;
  endpoints: Endpoint[];
  siteOrigin?: string;
  subagents: number;
  concurrency: number;
  /** Unique per run, for idempotency keys and names. */
  runId: string;
  /** Reports subagents done so far, for the progress display. */
  progress(done: number): void;
  /**
   * Registers clean-up to run after the counted window, last registered first, with an
   * uncounted client of the same principal (the run's own clients may be closed by then).
   */
  defer(step: (team: Actor) => Promise<unknown>): void;
}

export interface ScriptResult {
  checks: Check[];
  /** Facts for the report (handles, items, cookies): what the checks were made from. */
  outcome: Record<string, unknown>;
  /**
   * Uncounted: a second principal (`stranger`) tries the team's handles and each attempt must be
   * refused; `team` is an uncounted client of the team's principal, to see that nothing changed.
   */
  probe?(stranger: Actor, team: Actor): Promise<Check[]>;
}

export interface ScenarioScript<S> {
  run(context: ScriptContext<S>): Promise<ScriptResult>;
}
