import { gunzipSync } from 'node:zlib';
import type { DriftGroupCounts } from '../../domain/drift/drift-counters';
import { buildFleetReport, type FleetDriftReport } from '../../domain/drift/drift-report';
import { acceptsGzip, DriftReportRepresentations, ifNoneMatchHolds } from './drift-report.representations';

function group(family: string, compliantRunning: number, site: string): DriftGroupCounts {
  return {
    environment: 'prod',
    platform: 'aws',
    site,
    family,
    compliantRunning,
    driftingRunning: 1,
    unmanagedRunning: 0,
    compliantStopped: 0,
    driftingStopped: 0,
    unmanagedStopped: 0,
  };
}

function report(compliant: number, now: number): FleetDriftReport {
  const groups = Array.from({ length: 40 }, (_, i) => group(`family-${i}`, compliant, `site-${i % 7}`));
  return buildFleetReport(groups, groups, {}, [], now);
}

describe('DriftReportRepresentations', () => {
  const at = Date.parse('2026-11-01T10:00:00Z');

  it('serialises a report once, and gives equivalent reports computed at other times the same validator', () => {
    const representations = new DriftReportRepresentations();
    const first = report(3, at);
    const made = representations.of(first);
    expect(representations.of(first)).toBe(made);
    expect(JSON.parse(made.body.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(first)));
    expect(made.etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/u);

    const later = representations.of(report(3, at + 1_000));
    expect(later.body.equals(made.body)).toBe(false);
    expect(later.etag).toBe(made.etag);
    expect(representations.of(report(4, at)).etag).not.toBe(made.etag);
  });

  it('compresses a large body once, and leaves a small one as it is', async () => {
    const made = new DriftReportRepresentations().of(report(3, at));
    const gzip = await made.gzip();
    expect(gzip).toBeDefined();
    expect(await made.gzip()).toBe(gzip);
    expect(gunzipSync(gzip!).equals(made.body)).toBe(true);
    expect(gzip!.length).toBeLessThan(made.body.length / 4);

    const small = new DriftReportRepresentations().of(buildFleetReport([], [], {}, [], at));
    expect(small.body.length).toBeLessThan(1_024);
    await expect(small.gzip()).resolves.toBeUndefined();
  });

  it('matches If-None-Match weakly, in lists and as *', () => {
    const etag = 'W/"abc"';
    expect(ifNoneMatchHolds(undefined, etag)).toBe(false);
    expect(ifNoneMatchHolds('W/"abc"', etag)).toBe(true);
    expect(ifNoneMatchHolds('"abc"', etag)).toBe(true);
    expect(ifNoneMatchHolds('"x", W/"abc"', etag)).toBe(true);
    expect(ifNoneMatchHolds('*', etag)).toBe(true);
    expect(ifNoneMatchHolds('W/"abd"', etag)).toBe(false);
  });

  it('accepts gzip unless refused with q=0', () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('deflate')).toBe(false);
  });
});
