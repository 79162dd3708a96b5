import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';
import { hash32, hex, pick, seedOf, unit, weighted } from './deterministic-random';

/** Per-scan churn of the simulated fleet. Probabilities are per asset and scan, arrivals per fleet size. */
export interface ChurnRates {
  /** New assets per scan, as a fraction of the initial fleet size. */
  readonly arrivals: number;
  /** Chance an asset leaves at a given scan. */
  readonly departures: number;
  /** Of the leavers, the share first reported `terminated` (AWS, Azure) instead of just vanishing. */
  readonly terminatedReports: number;
  /** Chance an asset is rebuilt on its family's latest image at a given scan. */
  readonly upgrades: number;
  /** Chance an asset is switched on or off at a given scan. */
  readonly powerFlips: number;
  /** Chance its `owner` tag changes at a given scan. */
  readonly retags: number;
}

export const DEFAULT_CHURN: ChurnRates = {
  arrivals: 0.01,
  departures: 0.01,
  terminatedReports: 0.5,
  upgrades: 0.03,
  powerFlips: 0.01,
  retags: 0.005,
};

export interface SimulatedFleetOptions {
  readonly seed: number | string;
  /** Assets at scan epoch 0. */
  readonly size: number;
  readonly churn?: Partial<ChurnRates>;
}

type SimulatedPlatform = 'aws' | 'azure' | 'gcp' | 'vsphere';

const enum Salt {
  Platform,
  Account,
  Location,
  Environment,
  Project,
  Family,
  Skew,
  Stopped,
  Depart,
  TerminatedReport,
  Upgrade,
  PowerFlip,
  Retag,
  Owner,
  InstanceId,
  ImageId,
  NoImage,
  VersionTag,
}

const PLATFORM_WEIGHTS: readonly (readonly [SimulatedPlatform, number])[] = [
  ['aws', 40],
  ['azure', 25],
  ['gcp', 20],
  ['vsphere', 15],
];
const ENVIRONMENTS: readonly (readonly [string, number])[] = [
  ['prod', 45],
  ['staging', 20],
  ['dev', 25],
  ['dr', 10],
];
// Azure estates in the wild tag environments in words; the normaliser maps them.
const AZURE_ENVIRONMENT_WORDS: Readonly<Record<string, string>> = {
  prod: 'Production',
  staging: 'Staging',
  dev: 'Development',
  dr: 'DR',
};
const PROJECTS = [
  'payments',
  'checkout',
  'search',
  'identity',
  'data-platform',
  'ledger',
  'analytics',
  'edge',
];
const OWNERS = ['team-a', 'team-b', 'team-c', 'sre', 'platform'];
const FAMILIES = ['ubuntu-22-04-base', 'rhel-9-hardened', 'windows-2022-core', 'debian-12-minimal'];
// Versions behind the latest at deployment: most are current, a long tail lags (vSphere lags one more).
const SKEW: readonly (readonly [number, number])[] = [
  [0, 55],
  [1, 25],
  [2, 12],
  [3, 5],
  [5, 3],
];
const STOPPED_SHARE = 0.08;
const NO_IMAGE_SHARE = 0.01;
const VERSION_TAG_SHARE = 0.05;
const LATEST_VERSION_AT_EPOCH_0 = 20;
const SCANS_PER_RELEASE = 3;
const FIRST_RELEASE = Date.UTC(2025, 0, 6);
const DAYS_PER_RELEASE = 14;

interface Location {
  readonly account: string;
  readonly region: string;
  readonly site?: string;
}

const AWS_ACCOUNTS = ['210987654321', '310987654321', '410987654321'];
const AWS_REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const AZURE_SUBSCRIPTIONS = ['5e0c1b1a-7d3f-4c2e-9a61-0f2b6d8e4a10', '8a2f4c6e-1b3d-4e5f-a7b9-c1d3e5f7a9b1'];
const AZURE_REGIONS = ['westeurope', 'northeurope', 'eastus'];
const GCP_PROJECTS = ['rf-sim-prod-4821', 'rf-sim-shared-1177'];
const GCP_ZONES = ['europe-west1-b', 'europe-west1-c', 'us-central1-a', 'asia-southeast1-b'];
const VCENTERS: readonly Location[] = [
  { account: 'vcenter-ldn-01.sim.example', region: 'LDN-DC1', site: 'london' },
  { account: 'vcenter-fra-01.sim.example', region: 'FRA-DC2', site: 'frankfurt' },
  { account: 'vcenter-nyc-01.sim.example', region: 'NYC-DC1', site: 'new-york' },
];

function locationOf(platform: SimulatedPlatform, seed: number, slot: number): Location {
  const a = unit(seed, Salt.Account, slot);
  const l = unit(seed, Salt.Location, slot);
  switch (platform) {
    case 'aws':
      return { account: pick(AWS_ACCOUNTS, a), region: pick(AWS_REGIONS, l) };
    case 'azure':
      return { account: pick(AZURE_SUBSCRIPTIONS, a), region: pick(AZURE_REGIONS, l) };
    case 'gcp':
      return { account: pick(GCP_PROJECTS, a), region: pick(GCP_ZONES, l) };
    case 'vsphere':
      return pick(VCENTERS, l);
  }
}

/** Golden-image version k: a fortnightly release train, `YYYY.MM.DD`. */
export function releaseVersion(index: number): string {
  const date = new Date(FIRST_RELEASE + Math.max(0, index) * DAYS_PER_RELEASE * 86_400_000);
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(date.getUTCDate()).padStart(2, '0');
  return `${date.getUTCFullYear()}.${mm}.${dd}`;
}

export function latestReleaseAt(epoch: number): number {
  return LATEST_VERSION_AT_EPOCH_0 + Math.floor(epoch / SCANS_PER_RELEASE);
}

/**
 * A seeded, deterministic fleet across AWS, Azure, GCP and vSphere, with version skew, stopped and
 * terminated machines, and churn between scan epochs: assets arrive, leave (some reported terminated
 * first), get rebuilt on newer images, are switched on and off, and are retagged.
 *
 * Every asset ("slot") is a pure function of (seed, slot, epoch), so a fleet of a million is streamed
 * without being held in memory, and epoch e is reproducible without generating epochs 0…e-1.
 */
export class SimulatedFleet {
  private readonly seed: number;
  private readonly churn: ChurnRates;
  private readonly arrivalsPerEpoch: number;

  constructor(private readonly options: SimulatedFleetOptions) {
    if (!Number.isInteger(options.size) || options.size < 0) {
      throw new RangeError(`fleet size must be a non-negative integer, got ${options.size}`);
    }
    this.seed = seedOf(options.seed);
    this.churn = { ...DEFAULT_CHURN, ...options.churn };
    this.arrivalsPerEpoch = Math.round(options.size * this.churn.arrivals);
  }

  /** Slots born up to and including `epoch`; some of them may have left. */
  slotCount(epoch: number): number {
    return this.options.size + Math.max(0, epoch) * this.arrivalsPerEpoch;
  }

  /** The fleet as a connector lists it at `epoch`, in a stable order. */
  *records(epoch: number): Generator<RawAssetRecord> {
    const slots = this.slotCount(epoch);
    for (let slot = 0; slot < slots; slot += 1) {
      const record = this.record(slot, epoch);
      if (record) yield record;
    }
  }

  /** One asset at `epoch`, or null when it is not listed (not born yet, or gone). */
  record(slot: number, epoch: number): RawAssetRecord | null {
    const born = this.birthEpoch(slot);
    if (born > epoch) return null;
    const left = this.departureEpoch(slot, born, epoch);
    if (left !== null && left < epoch) return null;
    const platform = weighted(PLATFORM_WEIGHTS, unit(this.seed, Salt.Platform, slot));
    if (left === epoch) {
      // AWS and Azure keep listing a deleted machine for a while; GCP and vSphere just drop it.
      const reported =
        (platform === 'aws' || platform === 'azure') &&
        unit(this.seed, Salt.TerminatedReport, slot) < this.churn.terminatedReports;
      return reported ? this.describe(slot, platform, born, epoch, true) : null;
    }
    return this.describe(slot, platform, born, epoch, false);
  }

  private birthEpoch(slot: number): number {
    if (slot < this.options.size) return 0;
    return 1 + Math.floor((slot - this.options.size) / Math.max(1, this.arrivalsPerEpoch));
  }

  private departureEpoch(slot: number, born: number, epoch: number): number | null {
    for (let e = born + 1; e <= epoch; e += 1) {
      if (unit(this.seed, Salt.Depart, slot, e) < this.churn.departures) return e;
    }
    return null;
  }

  private imageIndex(slot: number, platform: SimulatedPlatform, born: number, epoch: number): number {
    const lag = weighted(SKEW, unit(this.seed, Salt.Skew, slot)) + (platform === 'vsphere' ? 1 : 0);
    let index = latestReleaseAt(born) - lag;
    for (let e = born + 1; e <= epoch; e += 1) {
      if (unit(this.seed, Salt.Upgrade, slot, e) < this.churn.upgrades) index = latestReleaseAt(e);
    }
    return index;
  }

  private running(slot: number, born: number, epoch: number): boolean {
    let running = unit(this.seed, Salt.Stopped, slot) >= STOPPED_SHARE;
    for (let e = born + 1; e <= epoch; e += 1) {
      if (unit(this.seed, Salt.PowerFlip, slot, e) < this.churn.powerFlips) running = !running;
    }
    return running;
  }

  private owner(slot: number, born: number, epoch: number): string {
    let index = hash32(this.seed, Salt.Owner, slot) % OWNERS.length;
    for (let e = born + 1; e <= epoch; e += 1) {
      if (unit(this.seed, Salt.Retag, slot, e) < this.churn.retags) index = (index + 1) % OWNERS.length;
    }
    return OWNERS[index] ?? 'platform';
  }

  private describe(
    slot: number,
    platform: SimulatedPlatform,
    born: number,
    epoch: number,
    terminated: boolean,
  ): RawAssetRecord {
    const location = locationOf(platform, this.seed, slot);
    const environment = weighted(ENVIRONMENTS, unit(this.seed, Salt.Environment, slot));
    const project = pick(PROJECTS, unit(this.seed, Salt.Project, slot));
    const family = pick(FAMILIES, unit(this.seed, Salt.Family, slot));
    const version = releaseVersion(this.imageIndex(slot, platform, born, epoch));
    const hasImage = unit(this.seed, Salt.NoImage, slot) >= NO_IMAGE_SHARE;
    const running = this.running(slot, born, epoch);
    const name = `${project}-${environment}-${slot}`;
    const tags: Record<string, string> = { 'rf:simulated': 'true', owner: this.owner(slot, born, epoch) };
    if (hasImage && unit(this.seed, Salt.VersionTag, slot) < VERSION_TAG_SHARE)
      tags['rf:image-version'] = version;

    switch (platform) {
      case 'aws':
        return {
          platform,
          ...location,
          instanceId: `i-${hex(this.seed, Salt.InstanceId, slot, 9)}${slot.toString(16).padStart(8, '0')}`,
          state: terminated ? 'terminated' : running ? 'running' : 'stopped',
          imageRef: hasImage ? `ami-${this.imageId(family, version, location.region)}` : null,
          imageName: hasImage ? `${family}-${version}` : null,
          tags: { ...tags, Name: name, environment, project, 'rf:image-family': family },
        };
      case 'azure': {
        const group = `rg-${project}-${environment}`;
        return {
          platform,
          ...location,
          instanceId:
            `/subscriptions/${location.account}/resourceGroups/${group}/providers/Microsoft.Compute` +
            `/virtualMachineScaleSets/vmss-${project}/virtualMachines/${slot}`,
          state: terminated ? 'Deleting' : running ? 'PowerState/running' : 'PowerState/deallocated',
          imageRef: hasImage
            ? `/subscriptions/${location.account}/resourceGroups/rg-images/providers/Microsoft.Compute` +
              `/galleries/rf_golden/images/${family}/versions/${version}`
            : null,
          tags: {
            ...tags,
            Environment: AZURE_ENVIRONMENT_WORDS[environment] ?? environment,
            Project: project,
          },
        };
      }
      case 'gcp':
        return {
          platform,
          ...location,
          // Numeric like GCP's; the slot in the low digits keeps ids unique.
          instanceId: `${1000 + (hash32(this.seed, Salt.InstanceId, slot) % 9000)}${String(slot).padStart(15, '0')}`,
          // GCP's TERMINATED is a stopped VM.
          state: running ? 'RUNNING' : 'TERMINATED',
          imageRef: hasImage
            ? `projects/rf-golden-images/global/images/${family}-v${version.replaceAll('.', '')}`
            : null,
          tags: { ...tags, name, environment, project },
        };
      case 'vsphere':
        return {
          platform,
          ...location,
          instanceId: `vm-${slot}`,
          state: running ? 'poweredOn' : 'poweredOff',
          imageRef: hasImage ? `tpl-${family}-${version}` : null,
          tags: { ...tags, environment, project },
        };
    }
  }

  private imageId(family: string, version: string, region: string): string {
    let h = 0;
    for (const ch of `${family}/${version}/${region}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    return hex(this.seed, Salt.ImageId, h >>> 0, 17);
  }
}
