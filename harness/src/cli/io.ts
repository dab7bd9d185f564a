/**
 * What a command may do to the outside world, handed to it by the entry point (src/cli.ts), which
 * alone owns stdout, stderr, signals and the exit status: print results, log progress, write a
 * report, and register what it started so an interrupt stops it.
 */
export interface CommandIo {
  /** A result line on stdout. */
  print(text: string): void;
  /** A progress line on stderr. */
  log(line: string): void;
  /** A report to a file, or to stdout for "-"; `what` names it in the "wrote ..." line. */
  write(target: string, text: string, what: string): void;
  /** Receives the stop of anything started; an interrupt runs every registered stop. */
  registerStop(stop: () => Promise<void>): void;
  /** True once Ctrl-C or SIGTERM began stopping everything. */
  interrupted(): boolean;
  /** Lets a command that runs until Ctrl-C (serve) end normally on the signal instead. */
  onSignal(handler: () => void): void;
}
