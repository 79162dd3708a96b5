import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { Authorize, callerOrganisationOf, callerScope } from '@rf/platform-auth';
import type { Request, Response } from 'express';
import { PromoteImageCommand } from '../../application/images/commands/promote-image/promote-image.command';
import {
  PromoteImageHandler,
  type PromotionResult,
} from '../../application/images/commands/promote-image/promote-image.handler';
import { PublishImageCommand } from '../../application/images/commands/publish-image/publish-image.command';
import { PublishImageHandler } from '../../application/images/commands/publish-image/publish-image.handler';
import { RevokeImageCommand } from '../../application/images/commands/revoke-image/revoke-image.command';
import { RevokeImageHandler } from '../../application/images/commands/revoke-image/revoke-image.handler';
import { RollbackChannelCommand } from '../../application/images/commands/rollback-channel/rollback-channel.command';
import {
  RollbackChannelHandler,
  type RollbackResult,
} from '../../application/images/commands/rollback-channel/rollback-channel.handler';
import { IMAGE_CLOCK } from '../../application/images/image-registry.tokens';
import type { Clock } from '../../application/images/ports/clock.port';
import {
  DiffImageSbomsHandler,
  type SbomDiffView,
} from '../../application/images/queries/diff-image-sboms/diff-image-sboms.handler';
import { DiffImageSbomsQuery } from '../../application/images/queries/diff-image-sboms/diff-image-sboms.query';
import { GetImageSbomHandler } from '../../application/images/queries/get-image-sbom/get-image-sbom.handler';
import { GetImageSbomQuery } from '../../application/images/queries/get-image-sbom/get-image-sbom.query';
import { GetImageHandler } from '../../application/images/queries/get-image/get-image.handler';
import { GetImageQuery } from '../../application/images/queries/get-image/get-image.query';
import { ListImagesHandler } from '../../application/images/queries/list-images/list-images.handler';
import { ListImagesQuery } from '../../application/images/queries/list-images/list-images.query';
import {
  actorOf,
  ImageIdParams,
  ListImagesQuerySchema,
  parseRequest,
  PromoteImageBody,
  PublishImageBody,
  RevokeImageBody,
  RollbackChannelBody,
  SbomDiffQuery,
} from './image-request.params';
import { type ImageVersionView, imageVersionView } from './image-response.views';
import { publicationBody } from './publication-body.reader';

/**
 * The golden-image registry API. Each route is authorised with one `rf.authz` action
 * (`image.read`, `image.publish`, `image.promote`, `image.revoke`) on the caller the gateway
 * forwards; the `:id` parameter is the image version the action is on. Every route reads and writes
 * the caller's organisation only: a version of another organisation is a 404 like a missing one, and
 * the attempt is logged. Errors leave as problem+json.
 */
@Controller('api/v1/images')
export class ImagesController {
  constructor(
    private readonly listImages: ListImagesHandler,
    private readonly getImage: GetImageHandler,
    private readonly getSbom: GetImageSbomHandler,
    private readonly diffSboms: DiffImageSbomsHandler,
    private readonly publishImage: PublishImageHandler,
    private readonly promoteImage: PromoteImageHandler,
    private readonly revokeImage: RevokeImageHandler,
    private readonly rollbackChannel: RollbackChannelHandler,
    @Inject(IMAGE_CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Authorize('image.read', callerScope('image'))
  async list(
    @Query() query: unknown,
    @Req() req: Request,
  ): Promise<{ items: ImageVersionView[]; nextCursor: string | null }> {
    const q = parseRequest(ListImagesQuerySchema, query, 'query');
    const page = await this.listImages.execute(
      new ListImagesQuery(
        callerOrganisationOf(req),
        {
          ...(q.family ? { family: q.family } : {}),
          ...(q.channel ? { channel: q.channel } : {}),
          ...(q.platform ? { platform: q.platform } : {}),
          ...(q.revoked === undefined ? {} : { revoked: q.revoked }),
        },
        q.limit,
        q.cursor,
      ),
    );
    return { items: page.items.map((v) => imageVersionView(v, page.now)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Authorize('image.read', callerScope('image'))
  async get(@Param() params: unknown, @Req() req: Request): Promise<ImageVersionView> {
    const { id } = parseRequest(ImageIdParams, params, 'path');
    const image = await this.getImage.execute(new GetImageQuery(callerOrganisationOf(req), id));
    return imageVersionView(image, this.clock.now());
  }

  /** image.read: the SPDX document byte for byte, so its SHA-256 matches the signed manifest. */
  @Get(':id/sbom')
  @Authorize('image.read', callerScope('image'))
  @Header('content-type', 'application/spdx+json')
  async sbom(
    @Param() params: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const { id } = parseRequest(ImageIdParams, params, 'path');
    const document = await this.getSbom.execute(new GetImageSbomQuery(callerOrganisationOf(req), id));
    res.type('application/spdx+json');
    return document;
  }

  @Get(':id/sbom/diff')
  @Authorize('image.read', callerScope('image'))
  async sbomDiff(
    @Param() params: unknown,
    @Query() query: unknown,
    @Req() req: Request,
  ): Promise<SbomDiffView> {
    const { id } = parseRequest(ImageIdParams, params, 'path');
    const { against } = parseRequest(SbomDiffQuery, query, 'query');
    return this.diffSboms.execute(new DiffImageSbomsQuery(callerOrganisationOf(req), id, against));
  }

  /** image.publish; large publications use the PUBLICATION_MEDIA_TYPE body. */
  @Post()
  @Authorize('image.publish', callerScope('image'))
  @HttpCode(201)
  async publish(@Body() body: unknown, @Req() req: Request): Promise<ImageVersionView> {
    const b = parseRequest(PublishImageBody, await publicationBody(req, body), 'body');
    const organisation = callerOrganisationOf(req);
    const { id } = await this.publishImage.execute(
      new PublishImageCommand(organisation, b.manifest, b.sbom, b.signatureBundle, actorOf(req), b.contract),
    );
    return imageVersionView(
      await this.getImage.execute(new GetImageQuery(organisation, id)),
      this.clock.now(),
    );
  }

  @Post(':id/promote')
  @Authorize('image.promote', callerScope('image'))
  @HttpCode(200)
  async promote(
    @Param() params: unknown,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<{ promotion: PromotionResult; image: ImageVersionView }> {
    const { id } = parseRequest(ImageIdParams, params, 'path');
    const b = parseRequest(PromoteImageBody, body, 'body');
    const organisation = callerOrganisationOf(req);
    const promotion = await this.promoteImage.execute(
      new PromoteImageCommand(organisation, id, b.to, actorOf(req)),
    );
    const image = imageVersionView(
      await this.getImage.execute(new GetImageQuery(organisation, id)),
      this.clock.now(),
    );
    return { promotion, image };
  }

  /** image.promote: the version's channel rolls back to it, superseding its current version. */
  @Post(':id/rollback')
  @Authorize('image.promote', callerScope('image'))
  @HttpCode(200)
  async rollback(
    @Param() params: unknown,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<{ rollback: RollbackResult; image: ImageVersionView }> {
    const { id } = parseRequest(ImageIdParams, params, 'path');
    parseRequest(RollbackChannelBody, body, 'body');
    const organisation = callerOrganisationOf(req);
    const rollback = await this.rollbackChannel.execute(
      new RollbackChannelCommand(organisation, id, actorOf(req)),
    );
    const image = imageVersionView(
      await this.getImage.execute(new GetImageQuery(organisation, id)),
      this.clock.now(),
    );
    return { rollback, image };
  }

  @Post(':id/revoke')
  @Authorize('image.revoke', callerScope('image'))
  @HttpCode(200)
  async revoke(
    @Param() params: unknown,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<{
    revocation: { id: string; effectiveAt: string; scheduled: boolean; descendants: readonly string[] };
  }> {
    const { id } = parseRequest(ImageIdParams, params, 'path');
    const b = parseRequest(RevokeImageBody, body, 'body');
    const result = await this.revokeImage.execute(
      new RevokeImageCommand(
        callerOrganisationOf(req),
        id,
        b.reason,
        b.detail,
        b.cveIds,
        b.effectiveAt,
        b.inheritedByDescendants,
        actorOf(req),
      ),
    );
    return { revocation: { ...result, effectiveAt: result.effectiveAt.toISOString() } };
  }
}
