/**
 * The scenario kinds the harness can run. A scenario file names its `kind`; the kind brings the
 * schema its file is validated against and the script that drives the actors.
 */
import * as z from 'zod/v4';
import type { ScenarioScript } from './base.js';
import { shoppingTeamSchema } from './shopping-team-schema.js';
import { shoppingTeam } from './shopping-team.js';

export const scenarioSchema = z.discriminatedUnion('kind', [shoppingTeamSchema]);
export type Scenario = z.infer<typeof scenarioSchema>;

export const SCRIPTS: { [K in Scenario['kind']]: ScenarioScript<Extract<Scenario, { kind: K }>> } = {
  'shopping-team': shoppingTeam,
};

export function scriptFor<S extends Scenario>(scenario: S): ScenarioScript<S> {
  return SCRIPTS[scenario.kind] as ScenarioScript<S>;
}

export type { Check } from './base.js';
