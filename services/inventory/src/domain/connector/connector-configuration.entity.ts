/** A configured connector: which kind, how to reach it, where its secrets are, and when it scans. */
export interface ConnectorConfiguration {
  readonly id: string;
  /** The organisation of the principal that created it; never changes. Its scans and assets are in it. */
  readonly organisation: string;
  /** A kind the service knows (simulated, file, aws, vsphere, azure, gcp, …). */
  readonly kind: string;
  /** Unique, human-chosen. */
  readonly name: string;
  /** Kind-specific, non-secret settings, validated by the kind's schema. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Credential name → reference (`env:NAME`, `file:/path`). */
  readonly credentials: Readonly<Record<string, string>>;
  /** Cron expression in UTC; null scans only on demand. */
  readonly schedule: string | null;
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
