import {
  Body,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  Authorize,
  callerOrganisationOf,
  callerScope,
  delegatedPrincipalHeader,
  Public,
} from '@rf/platform-auth';
import { type AuditBundleDocument, encodeAuditBundle } from '@rf/platform-ledger-proof';
import type { AuthorizableRequest } from '@rf/platform-policy';
import type { Request, Response } from 'express';
import { AddWitnessCosignatureCommand } from '../application/commands/add-witness-cosignature/add-witness-cosignature.command';
import {
  AddWitnessCosignatureHandler,
  type AddWitnessCosignatureResult,
} from '../application/commands/add-witness-cosignature/add-witness-cosignature.handler';
import type { EntryReader } from '../application/entry-selector';
import { GenerateEvidencePackHandler } from '../application/queries/generate-evidence-pack/generate-evidence-pack.handler';
import { GenerateEvidencePackQuery } from '../application/queries/generate-evidence-pack/generate-evidence-pack.query';
import { GetAuditBundleHandler } from '../application/queries/get-audit-bundle/get-audit-bundle.handler';
import { GetAuditBundleQuery } from '../application/queries/get-audit-bundle/get-audit-bundle.query';
import {
  type CosignedCheckpoint,
  GetCheckpointHandler,
} from '../application/queries/get-checkpoint/get-checkpoint.handler';
import { GetCheckpointQuery } from '../application/queries/get-checkpoint/get-checkpoint.query';
import { GetConsistencyProofHandler } from '../application/queries/get-consistency-proof/get-consistency-proof.handler';
import { GetConsistencyProofQuery } from '../application/queries/get-consistency-proof/get-consistency-proof.query';
import { GetEntryHandler } from '../application/queries/get-entry/get-entry.handler';
import { GetEntryQuery } from '../application/queries/get-entry/get-entry.query';
import { GetInclusionProofHandler } from '../application/queries/get-inclusion-proof/get-inclusion-proof.handler';
import { GetInclusionProofQuery } from '../application/queries/get-inclusion-proof/get-inclusion-proof.query';
import {
  AuditBundleQuery,
  CheckpointParams,
  ConsistencyProofQuery,
  CosignatureRequest,
  EntryParams,
  EvidencePackRequest,
  InclusionProofQuery,
  parseRequest,
} from './ledger-request.params';
import {
  type CheckpointResponse,
  checkpointResponse,
  type ConsistencyProofResponse,
  consistencyProofResponse,
  type EntryResponse,
  entryResponse,
  type InclusionProofResponse,
  inclusionProofResponse,
} from './ledger-response.views';

/**
 * The ledger's read API: what a monitor or an auditor needs to check the log. Checkpoints and
 * consistency proofs are hashes and signatures of the whole log, public so that witnesses and
 * monitors need no account. Entries, inclusion proofs (which serve the entry's leaf), audit bundles
 * and evidence packs reach only the caller's organisation's entries and the platform-wide ones (an
 * entry of another organisation is 404, as a missing one), and need `ledger.read` / `ledger.export`;
 * redacted payloads are never served.
 */
@Controller('api/v1/ledger')
export class LedgerController {
  constructor(
    private readonly checkpoints: GetCheckpointHandler,
    private readonly cosign: AddWitnessCosignatureHandler,
    private readonly entry: GetEntryHandler,
    private readonly inclusionProof: GetInclusionProofHandler,
    private readonly consistencyProof: GetConsistencyProofHandler,
    private readonly auditBundle: GetAuditBundleHandler,
    private readonly evidencePack: GenerateEvidencePackHandler,
  ) {}

  /**
   * The latest signed note as text/plain (C2SP tlog-checkpoint) with any witness co-signatures after
   * the log's, or as JSON when the client prefers it.
   */
  @Get('checkpoint')
  @Public()
  @Header('cache-control', 'no-store')
  async checkpoint(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string | CheckpointResponse> {
    return this.negotiate(await this.checkpoints.execute(new GetCheckpointQuery()), req, res);
  }

  /** The checkpoint the log signed at a tree size, with its co-signatures. */
  @Get('checkpoints/:size')
  @Public()
  async checkpointAt(
    @Param() params: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string | CheckpointResponse> {
    const { size } = parseRequest(CheckpointParams, params);
    return this.negotiate(await this.checkpoints.execute(new GetCheckpointQuery(size)), req, res);
  }

  /**
   * A witness hands back a checkpoint note it co-signed (C2SP signed note with its signature line
   * added). 201 when a co-signature was stored now, 200 when it was already.
   */
  @Post('checkpoint/cosignatures')
  // A co-signature proves who sent it: only a configured witness key's signature is accepted.
  @Public()
  async addCosignature(
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AddWitnessCosignatureResult> {
    const { note } = parseRequest(CosignatureRequest, body ?? {});
    const result = await this.cosign.execute(new AddWitnessCosignatureCommand(note));
    res.status(result.added.length > 0 ? 201 : 200);
    return result;
  }

  private negotiate(
    checkpoint: CosignedCheckpoint,
    req: Request,
    res: Response,
  ): string | CheckpointResponse {
    res.vary('Accept');
    if (req.accepts(['text/plain', 'application/json']) === 'application/json') {
      return checkpointResponse(checkpoint);
    }
    res.type('text/plain; charset=utf-8');
    return checkpoint.note;
  }

  @Get('entries/:index')
  @Authorize('ledger.read', callerScope('ledger'))
  async entryAt(@Param() params: unknown, @Req() req: AuthorizableRequest): Promise<EntryResponse> {
    const { index } = parseRequest(EntryParams, params);
    return entryResponse(await this.entry.execute(new GetEntryQuery({ index }, readerOf(req))));
  }

  @Get('proof/inclusion')
  @Authorize('ledger.read', callerScope('ledger'))
  async inclusion(@Query() query: unknown, @Req() req: AuthorizableRequest): Promise<InclusionProofResponse> {
    const q = parseRequest(InclusionProofQuery, query);
    const view = await this.inclusionProof.execute(
      new GetInclusionProofQuery({ leafHash: q.leaf_hash }, readerOf(req), q.tree_size),
    );
    return inclusionProofResponse(view);
  }

  @Get('proof/consistency')
  @Public()
  async consistency(@Query() query: unknown): Promise<ConsistencyProofResponse> {
    const q = parseRequest(ConsistencyProofQuery, query);
    return consistencyProofResponse(
      await this.consistencyProof.execute(new GetConsistencyProofQuery(q.first, q.second)),
    );
  }

  /** Entries [from, to) with everything `rf ledger verify` needs to check them offline. */
  @Get('audit-bundle')
  @Authorize('ledger.export', callerScope('ledger'))
  async bundle(@Query() query: unknown, @Req() req: AuthorizableRequest): Promise<AuditBundleDocument> {
    const q = parseRequest(AuditBundleQuery, query);
    const bundle = await this.auditBundle.execute(
      new GetAuditBundleQuery(q.from, q.to ?? Number.MAX_SAFE_INTEGER, q.trusted ?? [], {
        organisation: callerOrganisationOf(req),
      }),
    );
    return encodeAuditBundle(bundle);
  }

  /**
   * An evidence pack: a ZIP of the environment's ledger entries over a time window with their inclusion
   * proofs and the checkpoint, plus the documents drawn from them; `rf evidence-pack verify` checks it
   * offline. Generated on request, not stored, hence 200.
   */
  @Post('evidence-packs')
  @Authorize('ledger.export', callerScope('ledger'))
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  async generateEvidencePack(
    @Body() body: unknown,
    @Req() req: AuthorizableRequest,
    @Headers(delegatedPrincipalHeader('drift')) driftCredential: string | undefined,
  ): Promise<StreamableFile> {
    const q = parseRequest(EvidencePackRequest, body ?? {});
    const pack = await this.evidencePack.execute(
      new GenerateEvidencePackQuery(
        q.from,
        q.to,
        q.environment,
        callerOrganisationOf(req),
        driftCredential || undefined,
      ),
    );
    const stamp = (d: Date) => d.toISOString().replace(/[:.]/g, '');
    return new StreamableFile(pack.archive, {
      type: 'application/zip',
      disposition: `attachment; filename="evidence-${q.environment}-${stamp(q.from)}-${stamp(q.to)}.zip"`,
      length: pack.archive.length,
    });
  }
}

/** The caller reads in its own organisation: its entries and the platform-wide ones. */
function readerOf(req: AuthorizableRequest): EntryReader {
  return { scope: { organisation: callerOrganisationOf(req) }, callerId: req.principal?.id ?? 'unknown' };
}
