import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { type AuditBundleDocument, encodeAuditBundle } from '@rf/platform-ledger-proof';
import type { Request, Response } from 'express';
import { GenerateEvidencePackHandler } from '../application/queries/generate-evidence-pack/generate-evidence-pack.handler';
import { GenerateEvidencePackQuery } from '../application/queries/generate-evidence-pack/generate-evidence-pack.query';
import { GetAuditBundleHandler } from '../application/queries/get-audit-bundle/get-audit-bundle.handler';
import { GetAuditBundleQuery } from '../application/queries/get-audit-bundle/get-audit-bundle.query';
import { GetConsistencyProofHandler } from '../application/queries/get-consistency-proof/get-consistency-proof.handler';
import { GetConsistencyProofQuery } from '../application/queries/get-consistency-proof/get-consistency-proof.query';
import { GetEntryHandler } from '../application/queries/get-entry/get-entry.handler';
import { GetEntryQuery } from '../application/queries/get-entry/get-entry.query';
import { GetInclusionProofHandler } from '../application/queries/get-inclusion-proof/get-inclusion-proof.handler';
import { GetInclusionProofQuery } from '../application/queries/get-inclusion-proof/get-inclusion-proof.query';
import { GetLatestCheckpointHandler } from '../application/queries/get-latest-checkpoint/get-latest-checkpoint.handler';
import {
  AuditBundleQuery,
  ConsistencyProofQuery,
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
 * The ledger's read API: what a monitor or an auditor needs to check the log. Everything served is
 * verifiable with the log's public key alone, so none of it is secret; redacted payloads are not served.
 */
@Controller('api/v1/ledger')
export class LedgerController {
  constructor(
    private readonly latestCheckpoint: GetLatestCheckpointHandler,
    private readonly entry: GetEntryHandler,
    private readonly inclusionProof: GetInclusionProofHandler,
    private readonly consistencyProof: GetConsistencyProofHandler,
    private readonly auditBundle: GetAuditBundleHandler,
    private readonly evidencePack: GenerateEvidencePackHandler,
  ) {}

  /** The latest signed note as text/plain (C2SP tlog-checkpoint), or as JSON when the client prefers it. */
  @Get('checkpoint')
  @Header('cache-control', 'no-store')
  async checkpoint(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string | CheckpointResponse> {
    const checkpoint = await this.latestCheckpoint.execute();
    res.vary('Accept');
    if (req.accepts(['text/plain', 'application/json']) === 'application/json') {
      return checkpointResponse(checkpoint);
    }
    res.type('text/plain; charset=utf-8');
    return checkpoint.note;
  }

  @Get('entries/:index')
  async entryAt(@Param() params: unknown): Promise<EntryResponse> {
    const { index } = parseRequest(EntryParams, params);
    return entryResponse(await this.entry.execute(new GetEntryQuery({ index })));
  }

  @Get('proof/inclusion')
  async inclusion(@Query() query: unknown): Promise<InclusionProofResponse> {
    const q = parseRequest(InclusionProofQuery, query);
    const view = await this.inclusionProof.execute(
      new GetInclusionProofQuery({ leafHash: q.leaf_hash }, q.tree_size),
    );
    return inclusionProofResponse(view);
  }

  @Get('proof/consistency')
  async consistency(@Query() query: unknown): Promise<ConsistencyProofResponse> {
    const q = parseRequest(ConsistencyProofQuery, query);
    return consistencyProofResponse(
      await this.consistencyProof.execute(new GetConsistencyProofQuery(q.first, q.second)),
    );
  }

  /** Entries [from, to) with everything `rf ledger verify` needs to check them offline. */
  @Get('audit-bundle')
  async bundle(@Query() query: unknown): Promise<AuditBundleDocument> {
    const q = parseRequest(AuditBundleQuery, query);
    const bundle = await this.auditBundle.execute(
      new GetAuditBundleQuery(q.from, q.to ?? Number.MAX_SAFE_INTEGER, q.trusted ?? []),
    );
    return encodeAuditBundle(bundle);
  }

  /**
   * An evidence pack: a ZIP of the environment's ledger entries over a time window with their inclusion
   * proofs and the checkpoint, plus the documents drawn from them; `rf evidence-pack verify` checks it
   * offline. Generated on request, not stored, hence 200.
   */
  @Post('evidence-packs')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  async generateEvidencePack(@Body() body: unknown): Promise<StreamableFile> {
    const q = parseRequest(EvidencePackRequest, body ?? {});
    const pack = await this.evidencePack.execute(new GenerateEvidencePackQuery(q.from, q.to, q.environment));
    const stamp = (d: Date) => d.toISOString().replace(/[:.]/g, '');
    return new StreamableFile(pack.archive, {
      type: 'application/zip',
      disposition: `attachment; filename="evidence-${q.environment}-${stamp(q.from)}-${stamp(q.to)}.zip"`,
      length: pack.archive.length,
    });
  }
}
