/**
 * @sessionless/harness as a library: run scenarios under the two client policies and get the
 * report, or use the pieces (start servers, count traffic, scrape /metrics, connect actors).
 * The CLI (`sessionless-harness`) is a thin layer over `runScenario` and `serve`.
 */
export { Actor, textOf } from './refetch/actor.js';
export { HTTP_GET, TrafficCounter } from './refetch/counting.js';
export type { CountingFetch, MethodTraffic, Traffic } from './refetch/counting.js';
export { ScenarioFailure, UsageError } from './shared/errors.js';
export { startFleet } from './fleet/fleet.js';
export type { AuthSetting, Endpoint, Fleet, FleetOptions } from './fleet/fleet.js';
export { formatMarkdown, formatText } from './refetch/format.js';
export { runScenario, STRANGER_SUBJECT, TEAM_SUBJECT } from './refetch/sweep.js';
export type { HarnessEvent, HarnessOptions } from './refetch/sweep.js';
export { parseTraffic, scrapeTraffic, trafficDelta } from './refetch/metrics.js';
export { createPolicy, expectedCounts, POLICY_NAMES, POLICY_SUMMARIES } from './refetch/policies.js';
export type { ClientPolicy, Connection, PolicyName, Principal, Role, ToolResult } from './refetch/policies.js';
export { COUNTED_METHODS, REPORT_SCHEMA } from './refetch/report.js';
export type { MethodCount, Ratios, Report, RunReport, ServerCounts } from './refetch/report.js';
export { runPolicy } from './refetch/run.js';
export type { PolicyRunOptions } from './refetch/run.js';
export { loadScenario, parseScenario, SCENARIO_DIR, scenarioNames } from './scenarios/scenario-file.js';
export type { LoadedScenario } from './scenarios/scenario-file.js';
export type { Check } from './scenarios/base.js';
export { scenarioSchema } from './scenarios/index.js';
export type { Scenario } from './scenarios/index.js';
export { serve } from './fleet/serve.js';
export { DEFAULT_PORTS, SERVER_NAMES } from './fleet/servers.js';
export type { PortName, ServerName } from './fleet/servers.js';
export { formatScaleMarkdown, formatScaleText } from './scale/report/text.js';
export { ratiosOf } from './scale/report/ratios.js';
export type { ScaleRatio } from './scale/report/ratios.js';
export { runScale } from './scale/scale.js';
export type { ScaleOptions } from './scale/scale.js';
export { ROUTINGS } from './scale/routings.js';
export type { Routing } from './scale/routings.js';
export { SCALE_SCHEMA } from './scale/report/schema.js';
export type { ScaleReport, ScaleRun, StoreCeiling, SweepSeries } from './scale/report/schema.js';
