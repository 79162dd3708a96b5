import type { AssetState } from '../asset/asset-state';
import type { Platform } from '../asset/platform';

const COMMON: Readonly<Record<string, AssetState>> = {
  running: 'running',
  pending: 'running',
  starting: 'running',
  rebooting: 'running',
  provisioning: 'running',
  staging: 'running',
  repairing: 'running',
  poweredon: 'running',
  'vm running': 'running',
  'powerstate/running': 'running',
  'powerstate/starting': 'running',
  stopped: 'stopped',
  stopping: 'stopped',
  suspended: 'stopped',
  suspending: 'stopped',
  poweredoff: 'stopped',
  deallocated: 'stopped',
  deallocating: 'stopped',
  'vm stopped': 'stopped',
  'vm deallocated': 'stopped',
  'powerstate/stopped': 'stopped',
  'powerstate/stopping': 'stopped',
  'powerstate/deallocated': 'stopped',
  'powerstate/deallocating': 'stopped',
  terminated: 'terminated',
  'shutting-down': 'terminated',
  deleting: 'terminated',
  deleted: 'terminated',
};

// GCP's TERMINATED is a stopped VM that still exists; a deleted one simply stops being listed.
const GCP: Readonly<Record<string, AssetState>> = { ...COMMON, terminated: 'stopped' };

// Maps, not objects: a provider word such as `constructor` must not hit Object.prototype.
const COMMON_STATES = new Map(Object.entries(COMMON));
const GCP_STATES = new Map(Object.entries(GCP));

/** Maps a provider's power-state word onto running / stopped / terminated; undefined when unknown. */
export function mapPowerState(platform: Platform, providerState: string): AssetState | undefined {
  const key = providerState.trim().toLowerCase();
  return (platform === 'gcp' ? GCP_STATES : COMMON_STATES).get(key);
}
