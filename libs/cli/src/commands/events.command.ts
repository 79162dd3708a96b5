import {
  checkBackwardCompatibility,
  CONTRACT_EVENT_CATALOGUE,
  contractTopicSpecs,
  createKafka,
  IncompatibleSchemaError,
  provisionTopics,
  replayDeadLetters,
  rewindConsumerGroup,
  SchemaPublisher,
} from '@rf/platform-events';
import { ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { baselineSchemasAt } from './contract-baseline';

export interface EventsEnvironment {
  readonly brokers: readonly string[];
  readonly registryUrl: string;
}

function kafkaFor(env: EventsEnvironment) {
  return createKafka({ brokers: env.brokers, clientId: 'rf-cli' });
}

/** Creates or updates every contract topic and its DLQ. */
export async function provisionEventTopics(
  env: EventsEnvironment,
  json: boolean,
  output: Output,
): Promise<ExitCode> {
  const admin = kafkaFor(env).admin();
  await admin.connect();
  try {
    const report = await provisionTopics(admin, contractTopicSpecs());
    output.out(
      json
        ? JSON.stringify(report, null, 2)
        : `topics: ${report.created.length} created, ${report.updated.length} updated, ${report.unchanged.length} unchanged`,
    );
    return ExitCode.Ok;
  } finally {
    await admin.disconnect();
  }
}

/** Registers every contract schema under BACKWARD compatibility; an incompatible change fails. */
export async function registerEventSchemas(
  env: EventsEnvironment,
  json: boolean,
  output: Output,
): Promise<ExitCode> {
  const publisher = new SchemaPublisher(env.registryUrl);
  const subjects = CONTRACT_EVENT_CATALOGUE.all().map((d) => ({
    subject: d.subject,
    schema: d.registrySchema,
  }));
  try {
    const ids = await publisher.register(subjects);
    output.out(json ? JSON.stringify(Object.fromEntries(ids), null, 2) : `schemas: ${ids.size} registered`);
    return ExitCode.Ok;
  } catch (error: unknown) {
    if (error instanceof IncompatibleSchemaError) {
      output.err(`rf: ${error.message}`);
      return ExitCode.Failure;
    }
    throw error;
  }
}

export async function replayEvents(
  env: EventsEnvironment,
  options: {
    dlq?: string;
    topic?: string;
    group?: string;
    fromOffset?: string;
    fromTime?: string;
    dryRun?: boolean;
  },
  json: boolean,
  output: Output,
): Promise<ExitCode> {
  const kafka = kafkaFor(env);
  if (options.dlq) {
    const report = await replayDeadLetters(kafka, options.dlq, { dryRun: options.dryRun ?? false });
    output.out(
      json
        ? JSON.stringify(report, null, 2)
        : `${options.dryRun ? 'would replay' : 'replayed'} ${report.replayed} event(s): ${JSON.stringify(report.byTopic)}`,
    );
    return ExitCode.Ok;
  }
  if (
    !options.topic ||
    !options.group ||
    (options.fromOffset === undefined) === (options.fromTime === undefined)
  ) {
    output.err(
      'rf: replay needs --dlq <topic.dlq>, or --topic, --group and one of --from-offset or --from-time',
    );
    return ExitCode.Usage;
  }
  const time = options.fromTime === undefined ? null : new Date(options.fromTime);
  if (time && Number.isNaN(time.getTime())) {
    output.err(`rf: --from-time must be an ISO 8601 time, got "${options.fromTime}"`);
    return ExitCode.Usage;
  }
  if (options.fromOffset !== undefined && !/^\d+$/.test(options.fromOffset)) {
    output.err(`rf: --from-offset must be a non-negative integer, got "${options.fromOffset}"`);
    return ExitCode.Usage;
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    const target = time ? { time } : { offset: options.fromOffset ?? '0' };
    const partitions = await rewindConsumerGroup(admin, options.group, options.topic, target);
    output.out(
      json
        ? JSON.stringify({ group: options.group, topic: options.topic, partitions }, null, 2)
        : `${options.group} on ${options.topic} now at ${partitions.map((p) => `${p.partition}:${p.offset}`).join(', ')}`,
    );
    return ExitCode.Ok;
  } finally {
    await admin.disconnect();
  }
}

/** Fails when a schema changed incompatibly (BACKWARD) since the baseline revision. */
export async function checkSchemaCompatibility(
  env: EventsEnvironment,
  repoRoot: string,
  base: string,
  json: boolean,
  output: Output,
): Promise<ExitCode> {
  const baseline = baselineSchemasAt(repoRoot, base);
  if (!baseline) {
    output.out(`no baseline: revision ${base} is not in this clone; nothing to compare`);
    return ExitCode.Ok;
  }
  const current = CONTRACT_EVENT_CATALOGUE.all().map((d) => ({
    subject: d.subject,
    schema: d.registrySchema,
  }));
  const findings = await checkBackwardCompatibility(env.registryUrl, baseline, current);
  const broken = findings.filter((f) => !f.compatible);
  if (json) {
    output.out(JSON.stringify({ base, findings }, null, 2));
  } else {
    output.out(`schemas: ${findings.length} checked against ${base}, ${broken.length} incompatible`);
    for (const f of broken) output.err(`rf: ${f.subject} is not BACKWARD compatible with ${base}`);
  }
  return broken.length === 0 ? ExitCode.Ok : ExitCode.Failure;
}
