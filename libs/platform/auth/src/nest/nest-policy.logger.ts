import { Logger } from '@nestjs/common';
import type { PolicyLogger } from '@rf/platform-policy';

/** The gate's structured logging through the service's Nest logger. */
export function nestPolicyLogger(name = 'Policy'): PolicyLogger {
  const logger = new Logger(name);
  return {
    info: (context, message) => logger.log({ ...context, msg: message }),
    warn: (context, message) => logger.warn({ ...context, msg: message }),
    error: (context, message) => logger.error({ ...context, msg: message }),
  };
}
