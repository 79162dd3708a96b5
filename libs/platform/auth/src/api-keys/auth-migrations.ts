import type { MigrationInterface } from 'typeorm';
import { CreateRateLimitBuckets1764100000100 } from '../limits/migrations/1764100000100-create-rate-limit-buckets';
import { CreateApiKeys1764100000000 } from './migrations/1764100000000-create-api-keys';

/** Tables of the service that issues and checks API keys (the gateway), applied after the platform's. */
export const API_KEY_MIGRATIONS: readonly (new () => MigrationInterface)[] = [CreateApiKeys1764100000000];

/** The shared rate-limit buckets (`PostgresRateLimiter`), applied after the platform's. */
export const RATE_LIMIT_MIGRATIONS: readonly (new () => MigrationInterface)[] = [
  CreateRateLimitBuckets1764100000100,
];
