import type { FetchedDocumentOutcome } from '@rf/platform-evidence-pack';

/**
 * The drift service, as evidence packs read it: the SBOM of an image version, and the drift report and
 * trend of an environment. Calls are made as the caller (`credential`: the principal the gateway
 * signed for the drift service), so a pack holds only what its requester may read.
 */
export interface DriftEvidenceSource {
  /** Never throws for a missing document, a refusal or an unreachable service: the outcome says so. */
  sbom(imageVersionId: string, credential: string | undefined): Promise<FetchedDocumentOutcome>;
  driftReport(environment: string, credential: string | undefined): Promise<FetchedDocumentOutcome>;
  driftTrend(
    environment: string,
    from: Date,
    to: Date,
    credential: string | undefined,
  ): Promise<FetchedDocumentOutcome>;
}
