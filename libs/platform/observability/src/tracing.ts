import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export interface TracingSettings {
  readonly service: string;
  readonly version: string;
  /** OTLP/HTTP endpoint; when null, spans are created for context propagation but not exported. */
  readonly otlpEndpoint: string | null;
}

/**
 * Starts the OpenTelemetry SDK: W3C trace-context propagation, async context, and export when an
 * endpoint is set. Spans come from the platform's own HTTP middleware, outbox relay and inbox.
 * Returns the shutdown hook that flushes pending spans.
 */
export function startTracing(settings: TracingSettings): () => Promise<void> {
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: `rf-${settings.service}`,
      [ATTR_SERVICE_VERSION]: settings.version,
    }),
    // Without an endpoint, no processor: spans still carry context, nothing is exported.
    spanProcessors: settings.otlpEndpoint
      ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${settings.otlpEndpoint}/v1/traces` }))]
      : [],
  });
  sdk.start();
  return () =>
    sdk.shutdown().catch((error: unknown) => {
      process.stderr.write(
        `tracing shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    });
}
