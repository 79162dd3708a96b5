/** The slice of a pino logger the gate uses: structured context first, then the message. */
export interface PolicyLogger {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}
