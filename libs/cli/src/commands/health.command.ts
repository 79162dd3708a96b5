import type { ServiceName } from '@rf/platform-config';
import { ExitCode } from '../exit-codes';
import { type Output, table } from '../output';

interface CheckReport {
  name: string;
  status: 'up' | 'down';
  error?: string;
}

export interface ServiceHealth {
  service: ServiceName;
  url: string;
  status: 'ready' | 'not_ready' | 'unreachable';
  httpStatus: number | null;
  checks: CheckReport[];
  error?: string;
}

/** Asks every service's /readyz and reports which are ready, and why the others are not. */
export async function checkHealth(
  endpoints: readonly { service: ServiceName; url: string }[],
  timeoutMs: number,
): Promise<ServiceHealth[]> {
  return Promise.all(
    endpoints.map(async ({ service, url }): Promise<ServiceHealth> => {
      try {
        const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
        const body = (await res.json().catch(() => ({}))) as { checks?: CheckReport[] };
        const checks = Array.isArray(body.checks) ? body.checks : [];
        return { service, url, status: res.ok ? 'ready' : 'not_ready', httpStatus: res.status, checks };
      } catch (error: unknown) {
        const cause =
          error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
        return { service, url, status: 'unreachable', httpStatus: null, checks: [], error: cause };
      }
    }),
  );
}

export function renderHealth(results: readonly ServiceHealth[], json: boolean, output: Output): ExitCode {
  const healthy = results.every((r) => r.status === 'ready');
  if (json) {
    output.out(JSON.stringify({ healthy, services: results }, null, 2));
  } else {
    const rows = results.map((r) => [
      r.service,
      r.status,
      r.url,
      r.error ??
        r.checks
          .filter((c) => c.status === 'down')
          .map((c) => `${c.name}: ${c.error ?? 'down'}`)
          .join('; '),
    ]);
    output.out(table(['SERVICE', 'STATUS', 'URL', 'DETAIL'], rows));
  }
  return healthy ? ExitCode.Ok : ExitCode.Failure;
}
