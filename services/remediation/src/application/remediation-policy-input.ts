import { localClock, offsetMinutes } from '../domain/risk/weekly-window';
import type { EnvironmentProfile, PolicyWindow } from './remediation-settings';

export interface WaveGateRequest {
  readonly action: 'remediation.plan' | 'remediation.approve' | 'remediation.start';
  readonly planId: string;
  readonly autonomyLevel: number;
  /** 0..100. */
  readonly riskScore: number;
  readonly waveIndex: number;
  readonly waveAssets: number;
  readonly fleetSize: number;
  readonly environment: string;
  /** A person approved the plan: what would need approval may run (denials still stop it). */
  readonly approved?: boolean;
  /** The plan's organisation: the decision is recorded in it. */
  readonly organisation: string;
}

export interface RollbackGateRequest {
  readonly planId: string;
  /** The plan's organisation: the decision is recorded in it. */
  readonly organisation: string;
  readonly waveIndex: number;
  readonly waveAssets: number;
}

const CLOCK = /^(\d{2}):(\d{2})$/u;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/u;

/** Minutes since local midnight (0..1440) for HH:MM; anything else is passed on for the policy to refuse. */
function minuteOfDay(clock: string): number | string {
  const m = CLOCK.exec(clock);
  if (!m) return clock;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) <= 59 && minutes <= 1440 ? minutes : clock;
}

/** Milliseconds since the epoch for an RFC 3339 timestamp; anything else is passed on unchanged. */
function epochMillis(timestamp: string): number | string {
  const ms = RFC3339.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
  return Number.isInteger(ms) && ms >= 0 ? ms : timestamp;
}

function policyWindow(window: PolicyWindow): Record<string, unknown> {
  return { days: window.days, end: minuteOfDay(window.end), start: minuteOfDay(window.start) };
}

/** Weekday and minute of `now` on the environment's clock; undefined (the policy denies) for an unreadable offset. */
function localNow(now: Date, utcOffset: string): Record<string, unknown> | undefined {
  try {
    const { day, minute } = localClock(now, offsetMinutes(utcOffset));
    return { minute, weekday: day };
  } catch (error: unknown) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * The `rf.remediation` input for one wave of a plan, at `now`. Pure: same request, same input.
 *
 * Times are numbers, so the policy parses nothing: `now` and freeze bounds in milliseconds since
 * the epoch, window bounds in minutes since local midnight, and `environment.local` is `now` on
 * the environment's clock. Values that cannot be converted are passed as given, and the policy
 * treats them as unreadable (a window that never opens, a freeze in effect), never as absent.
 */
export function buildRemediationPolicyInput(
  request: WaveGateRequest,
  profile: EnvironmentProfile,
  now: Date,
): Record<string, unknown> {
  const local = localNow(now, profile.utcOffset);
  // Members in canonical (sorted) order at every level: the gate then hashes and hands over
  // JSON.stringify's text as it is (see canonicalJson).
  return {
    action: request.action,
    ...(request.approved ? { approved: true } : {}),
    autonomyLevel: request.autonomyLevel,
    environment: {
      ...(profile.businessHours ? { businessHours: policyWindow(profile.businessHours) } : {}),
      ...(profile.changeWindows ? { changeWindows: profile.changeWindows.map(policyWindow) } : {}),
      ...(profile.freezes
        ? {
            freezes: profile.freezes.map((f) => ({
              end: epochMillis(f.end),
              name: f.name,
              start: epochMillis(f.start),
              until: f.end,
            })),
          }
        : {}),
      ...(local ? { local } : {}),
      name: request.environment,
    },
    // A plan is never measured against a fleet smaller than itself.
    fleet: { size: Math.max(request.fleetSize, request.waveAssets) },
    now: now.getTime(),
    plan: { id: request.planId, riskScore: request.riskScore },
    wave: { assets: request.waveAssets, index: request.waveIndex },
  };
}

/**
 * The `rf.remediation` input for reverting one wave: a rollback restores the previous version, so
 * the policy reads only `now`, the plan and the wave. Pure.
 */
export function buildRollbackPolicyInput(request: RollbackGateRequest, now: Date): Record<string, unknown> {
  return {
    action: 'remediation.rollback',
    now: now.getTime(),
    plan: { id: request.planId },
    wave: { assets: request.waveAssets, index: request.waveIndex },
  };
}
