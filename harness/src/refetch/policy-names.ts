/**
 * The names of the three client policies, apart from the policies themselves (policies.ts) so
 * that reading the command line does not load both SDKs' clients.
 */
export const POLICY_NAMES = ['session-era', 'sessionless-own-cache', 'sessionless'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];
