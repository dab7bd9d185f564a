/**
 * @sessionless/harness as a library: run scenarios under the two client policies and get the
 * report, or use the pieces (start servers, count traffic, scrape /metrics, connect actors).
 * The CLI (`sessionless-harness`) is a thin layer over `runScenario` and `serve`.
 */
export { Actor, textOf } from './actor.js';
export { HTTP_GET, TrafficCounter } from './counting.js';
export type { CountingFetch, MethodTraffic, Traffic } from './counting.js';
export { ScenarioFailure, UsageError } from './errors.js';
export { startFleet } from './fleet.js';
export type { AuthSetting, Endpoint, Fleet, FleetOptions } from './fleet.js';
export { formatMarkdown, formatText } from './format.js';
export { runScenario, STRANGER_SUBJECT, TEAM_SUBJECT } from './harness.js';
export type { HarnessEvent, HarnessOptions } from './harness.js';
export { parseTraffic, scrapeTraffic, trafficDelta } from './metrics.js';
export { createPolicy, POLICY_NAMES, POLICY_SUMMARIES } from './policies.js';
export type { ClientPolicy, Connection, PolicyName, Principal, Role, ToolResult } from './policies.js';
export { COUNTED_METHODS, expectedCounts, REPORT_SCHEMA } from './report.js';
export type { MethodCount, Ratios, Report, RunReport, ServerCounts } from './report.js';
export { runPolicy } from './run.js';
export type { PolicyRunOptions } from './run.js';
export { loadScenario, parseScenario, SCENARIO_DIR, scenarioNames } from './scenario-file.js';
export type { LoadedScenario } from './scenario-file.js';
export type { Check } from './scenarios/base.js';
export { scenarioSchema } from './scenarios/index.js';
export type { Scenario } from './scenarios/index.js';
export { serve } from './serve.js';
export { DEFAULT_PORTS, SERVER_NAMES } from './servers.js';
export type { PortName, ServerName } from './servers.js';
export { formatScaleMarkdown, formatScaleText, ratiosOf } from './scale/format.js';
export { formatScaleHtml } from './scale/html.js';
export { runScale } from './scale/scale.js';
export type { ScaleOptions } from './scale/scale.js';
export { ROUTINGS, SCALE_SCHEMA } from './scale/report.js';
export type { Routing, ScaleReport, ScaleRun, StoreCeiling, SweepSeries } from './scale/report.js';
