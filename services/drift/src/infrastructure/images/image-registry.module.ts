import { type DynamicModule, Module } from '@nestjs/common';
import type { UnitOfWork } from '@rf/platform-events';
import { POLICY_GATE, type PolicyGate } from '@rf/platform-policy';
import { UNIT_OF_WORK } from '@rf/platform-runtime';
import { DataSource } from 'typeorm';
import { ImagesController } from '../../api/images/images.controller';
import { PromoteImageHandler } from '../../application/images/commands/promote-image/promote-image.handler';
import { PublishImageHandler } from '../../application/images/commands/publish-image/publish-image.handler';
import { RevokeImageHandler } from '../../application/images/commands/revoke-image/revoke-image.handler';
import { RollbackChannelHandler } from '../../application/images/commands/rollback-channel/rollback-channel.handler';
import type { ImageRegistrySettings } from '../../application/images/image-registry.settings';
import {
  IMAGE_CLOCK,
  IMAGE_REGISTRY_SETTINGS,
  IMAGE_REGISTRY_STORE,
  PROMOTION_GATE,
  SIGNATURE_VERIFIER,
} from '../../application/images/image-registry.tokens';
import type { Clock } from '../../application/images/ports/clock.port';
import type { ImageRegistryStore } from '../../application/images/ports/image-registry.store.port';
import type { PromotionGate } from '../../application/images/ports/promotion-gate.port';
import type { SignatureVerifier } from '../../application/images/ports/signature-verifier.port';
import { DiffImageSbomsHandler } from '../../application/images/queries/diff-image-sboms/diff-image-sboms.handler';
import { GetImageSbomHandler } from '../../application/images/queries/get-image-sbom/get-image-sbom.handler';
import { GetImageHandler } from '../../application/images/queries/get-image/get-image.handler';
import { ListImagesHandler } from '../../application/images/queries/list-images/list-images.handler';
import { type ImageRegistryConfig, loadImageRegistryConfig } from './image-registry.config';
import { PostgresImageRegistryStore } from './persistence/postgres-image-registry.store';
import { PolicyPromotionGate } from './policy/policy-promotion.gate';
import { SigstoreSignatureVerifier } from './signing/sigstore-signature.verifier';
import { loadSigstoreTrust } from './signing/trusted-keys.file';
import { SystemImageClock } from './system-image.clock';

/**
 * The golden-image registry: contracts-backed image versions, channels, promotion through the
 * `rf.image_promotion` policy, revocation with inheritance, SBOMs and cosign signatures.
 */
@Module({})
export class ImageRegistryModule {
  /**
   * `policy` is the service's auth module (ServiceAuthModule, which exports its gate): promotion
   * is decided by the same gate, on the same bundle, as the service's routes.
   */
  static register(
    policy: DynamicModule,
    images: ImageRegistryConfig = loadImageRegistryConfig(),
  ): DynamicModule {
    const settings: ImageRegistrySettings = { signatureMode: images.signatureMode };
    const factory = <T>(
      useFactory: (...deps: never[]) => T,
      inject: (symbol | (abstract new (...args: never[]) => unknown))[],
    ) => ({
      useFactory,
      inject,
    });
    return {
      module: ImageRegistryModule,
      imports: [
        // Promotion decisions are evaluated here and published by the registry itself, inside its
        // own transactions; the gate's recorder keeps only the routes' authorisation decisions.
        policy,
      ],
      controllers: [ImagesController],
      providers: [
        { provide: IMAGE_REGISTRY_SETTINGS, useValue: settings },
        { provide: IMAGE_CLOCK, useClass: SystemImageClock },
        {
          provide: IMAGE_REGISTRY_STORE,
          ...factory(
            (ds: DataSource, uow: UnitOfWork) => new PostgresImageRegistryStore(ds, uow),
            [DataSource, UNIT_OF_WORK],
          ),
        },
        {
          provide: SIGNATURE_VERIFIER,
          useFactory: () => new SigstoreSignatureVerifier(loadSigstoreTrust(images)),
        },
        {
          provide: PROMOTION_GATE,
          ...factory((gate: PolicyGate) => new PolicyPromotionGate(gate), [POLICY_GATE]),
        },
        {
          provide: PublishImageHandler,
          ...factory(
            (s: ImageRegistryStore, v: SignatureVerifier, g: PromotionGate, c: Clock) =>
              new PublishImageHandler(s, v, g, c, settings),
            [IMAGE_REGISTRY_STORE, SIGNATURE_VERIFIER, PROMOTION_GATE, IMAGE_CLOCK],
          ),
        },
        {
          provide: PromoteImageHandler,
          ...factory(
            (s: ImageRegistryStore, v: SignatureVerifier, g: PromotionGate, c: Clock) =>
              new PromoteImageHandler(s, v, g, c, settings),
            [IMAGE_REGISTRY_STORE, SIGNATURE_VERIFIER, PROMOTION_GATE, IMAGE_CLOCK],
          ),
        },
        {
          provide: RollbackChannelHandler,
          ...factory(
            (s: ImageRegistryStore, v: SignatureVerifier, g: PromotionGate, c: Clock) =>
              new RollbackChannelHandler(s, v, g, c, settings),
            [IMAGE_REGISTRY_STORE, SIGNATURE_VERIFIER, PROMOTION_GATE, IMAGE_CLOCK],
          ),
        },
        {
          provide: RevokeImageHandler,
          ...factory(
            (s: ImageRegistryStore, c: Clock) => new RevokeImageHandler(s, c),
            [IMAGE_REGISTRY_STORE, IMAGE_CLOCK],
          ),
        },
        {
          provide: ListImagesHandler,
          ...factory(
            (s: ImageRegistryStore, c: Clock) => new ListImagesHandler(s, c),
            [IMAGE_REGISTRY_STORE, IMAGE_CLOCK],
          ),
        },
        {
          provide: GetImageHandler,
          ...factory((s: ImageRegistryStore) => new GetImageHandler(s), [IMAGE_REGISTRY_STORE]),
        },
        {
          provide: GetImageSbomHandler,
          ...factory((s: ImageRegistryStore) => new GetImageSbomHandler(s), [IMAGE_REGISTRY_STORE]),
        },
        {
          provide: DiffImageSbomsHandler,
          ...factory((s: ImageRegistryStore) => new DiffImageSbomsHandler(s), [IMAGE_REGISTRY_STORE]),
        },
      ],
    };
  }
}
