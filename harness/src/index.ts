/**
 * @sessionless/harness as a library, by its two claims: the re-fetch engine (run a scenario under
 * the client policies and get the report, or use its pieces: servers, counting, /metrics, actors)
 * and the scale-out benchmark (runScale, runBench, and the engine's `measure` for a workload of
 * your own); and the two gates: `runCheck` (any server's instances) and `compareReports` (CI).
 * The CLI (`sessionless-harness`) is a thin layer over these.
 */
// Servers, and the two kinds of failure.
export { givenDatabase, startDatabase } from './fleet/database.js';
export type { Database } from './fleet/database.js';
export { startFleet } from './fleet/fleet.js';
export type { AuthSetting, Endpoint, Fleet, FleetOptions } from './fleet/fleet.js';
export { hostsProblem } from './fleet/hosts.js';
export type { Topology } from './fleet/hosts.js';
export { serve } from './fleet/serve.js';
export { DEFAULT_PORTS, SERVER_NAMES } from './fleet/servers.js';
export type { PortName, ServerName } from './fleet/servers.js';
export { ScenarioFailure, UsageError } from './shared/errors.js';

// Re-fetches: the client policies, what they cost, counted on both sides.
export { Actor, textOf } from './refetch/actor.js';
export { HTTP_GET, TrafficCounter } from './refetch/counting.js';
export type { CountingFetch, MethodTraffic, Traffic } from './refetch/counting.js';
export { formatMarkdown, formatText } from './refetch/format.js';
export { parseTraffic, scrapeTraffic, trafficDelta } from './refetch/metrics.js';
export { createPolicy, expectedCounts, POLICY_NAMES, POLICY_SUMMARIES } from './refetch/policies.js';
export type { ClientPolicy, Connection, PolicyName, Principal, Role, ToolResult } from './refetch/policies.js';
export { COUNTED_METHODS, REPORT_SCHEMA } from './refetch/report.js';
export type { MethodCount, Ratios, Report, RunReport, ServerCounts } from './refetch/report.js';
export { runPolicy } from './refetch/run.js';
export type { PolicyRunOptions } from './refetch/run.js';
export { runScenario, STRANGER_SUBJECT, TEAM_SUBJECT } from './refetch/sweep.js';
export type { HarnessEvent, HarnessOptions } from './refetch/sweep.js';

// Scenarios.
export type { Check } from './scenarios/base.js';
export { scenarioSchema } from './scenarios/index.js';
export type { Scenario } from './scenarios/index.js';
export { loadScenario, parseScenario, SCENARIO_DIR, scenarioNames } from './scenarios/scenario-file.js';
export type { LoadedScenario } from './scenarios/scenario-file.js';

// Scale-out: the runs, the engine that measures each, and the reports.
export { runBench } from './scale/bench/bench.js';
export { PROFILE_PARTS } from './scale/bench/profile.js';
export type { ProfilePart, ProfileSplit } from './scale/bench/profile.js';
export type { BenchOptions } from './scale/bench/bench.js';
export type { Caller } from './scale/engine/calls.js';
export { measure } from './scale/engine/measure.js';
export type { Instances, MeasureOptions } from './scale/engine/measure.js';
export { modernCall } from './scale/engine/wire.js';
export type { Outcome } from './scale/engine/wire.js';
export { BENCH_SCHEMA } from './scale/report/bench-schema.js';
export type { BenchReport, BenchTargetReport } from './scale/report/bench-schema.js';
export { formatBenchMarkdown, formatBenchText } from './scale/report/bench-text.js';
export { ratiosOf } from './scale/report/ratios.js';
export type { ScaleRatio } from './scale/report/ratios.js';
export { SCALE_SCHEMA } from './scale/report/schema.js';
export type {
  DatabaseRestart,
  PostgresCeiling,
  ScaleReport,
  ScaleRun,
  StoreCeiling,
  SweepSeries,
} from './scale/report/schema.js';
export { postgresProjection } from './scale/report/postgres-tables.js';
export type { PostgresProjection } from './scale/report/postgres-tables.js';
export { formatScaleMarkdown, formatScaleText } from './scale/report/text.js';
export { STARTUP_SCHEMA } from './scale/bench/startup.js';
export type { StartupReport, StartupRow } from './scale/bench/startup.js';
export { formatStartupMarkdown, formatStartupText } from './scale/report/startup-text.js';
export { ROUTINGS } from './scale/routings.js';
export type { Routing } from './scale/routings.js';
export { STORES } from './scale/stores.js';
export type { Store } from './scale/stores.js';
export { runScale } from './scale/scale.js';
export type { ScaleOptions } from './scale/scale.js';
export type { Workload } from './scale/workloads/workload.js';

// The gates: any MCP server's instances checked for running without affinity; two reports compared.
export { runCheck } from './check/check.js';
export type { CheckOptions } from './check/check.js';
export { formatCheckMarkdown, formatCheckText } from './check/format.js';
export { CHECK_SCHEMA } from './check/report.js';
export type { CheckReport, CheckResult, CheckStatus, WritePolicy } from './check/report.js';
export { compareReports } from './compare/compare.js';
export { formatCompareMarkdown, formatCompareText } from './compare/format.js';
export { COMPARE_SCHEMA, DEFAULT_THRESHOLDS } from './compare/schema.js';
export type { CompareReport, Figure } from './compare/schema.js';
