/**
 * The two kinds of failure the harness reports. A `UsageError` is a mistake in what the harness
 * was asked to do (a malformed scenario file, an unknown server, a port already taken, a server
 * that cannot start): the CLI prints its one sentence and exits 2, with nothing left running.
 * A `ScenarioFailure` is a scenario that ran and found something wrong: the run is marked failed,
 * the report says why, and the CLI exits 1. Anything else is a bug and keeps its stack.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

export class ScenarioFailure extends Error {
  override name = 'ScenarioFailure';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
