/** Exit codes of `rf`, stable for scripts. */
export const ExitCode = {
  Ok: 0,
  /** The command ran and found something unhealthy or failed. */
  Failure: 1,
  /** The command line itself was wrong. */
  Usage: 2,
  /** A dependency the command needs could not be reached. */
  Unavailable: 69,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
