import { Body, Controller, HttpCode, Inject, Module, Post, type INestApplication } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { loadServiceConfig } from '@rf/platform-config';
import { InboxContext, type UnitOfWork } from '@rf/platform-events';
import { testServiceEnvironment, waitFor } from '@rf/platform-testing';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectEventInbox } from './bootstrap';
import { PlatformModule } from './platform.module';
import { UNIT_OF_WORK } from './platform.tokens';

const TYPE = 'io.resiliencefabric.service.mode.changed.v1';
const example = JSON.parse(
  readFileSync(
    join(__dirname, '../../../../contracts/events/examples/service.mode.changed.v1.valid.json'),
    'utf8',
  ),
) as Record<string, unknown>;

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

interface Received {
  reason: string;
  eventId: string;
  correlationId: string;
  traceId: string | undefined;
}
const received: Received[] = [];

@Controller('probe')
class ModeChangeController {
  constructor(@Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork) {}

  @Post('mode')
  @HttpCode(202)
  async change(@Body() body: { reason: string }): Promise<{ accepted: true }> {
    await this.uow.run(async ({ publish }) => {
      publish({ type: TYPE, data: { ...example, reason: body.reason } });
      return Promise.resolve();
    });
    return { accepted: true };
  }

  @EventPattern(TYPE)
  onModeChanged(@Payload() data: { reason: string }, @Ctx() ctx: InboxContext): void {
    received.push({
      reason: data.reason,
      eventId: ctx.event.id,
      correlationId: ctx.event.correlationId,
      traceId: trace.getActiveSpan()?.spanContext().traceId,
    });
  }
}

describe('an event from an HTTP request to an @EventPattern handler', () => {
  const config = loadServiceConfig(
    { service: 'gateway', version: '0.0.0', usesTemporal: false },
    testServiceEnvironment('gateway'),
  );
  let app: INestApplication;

  beforeAll(async () => {
    @Module({ imports: [PlatformModule.forService({ config })], controllers: [ModeChangeController] })
    class ProbeModule {}
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    connectEventInbox(app, config);
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await provider.shutdown();
  });

  it('answers a malformed body with problem+json and publishes nothing', async () => {
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const res = await fetch(`${url}/probe/mode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"reason": ',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 400, code: 'HTTP.400', instance: '/probe/mode' });
  });

  it('is committed with the request, relayed, consumed by the Nest transport, and traced end to end', async () => {
    const reason = `probe ${randomUUID()}`;
    const traceId = randomUUID().replace(/-/g, '');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const res = await fetch(`${url}/probe/mode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ reason }),
    });
    expect(res.status).toBe(202);

    const event = await waitFor(() => Promise.resolve(received.find((r) => r.reason === reason)), {
      timeoutMs: 30_000,
      description: 'the handler to receive the event',
    });
    expect(event.traceId).toBe(traceId);
    expect(event.correlationId).toBe(event.eventId);

    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const byName = (prefix: string) => spans.find((s) => s.name.startsWith(prefix));
    const server = byName('POST /probe/mode');
    const publish = byName(`${TYPE} publish`);
    const consume = byName(`${TYPE} process`);
    expect([server, publish, consume].every(Boolean)).toBe(true);
    expect(publish?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(consume?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
  });
});
