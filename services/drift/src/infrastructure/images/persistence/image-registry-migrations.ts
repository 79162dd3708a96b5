import type { MigrationInterface } from 'typeorm';
import { CreateImagesTables1764100000000 } from './migrations/1764100000000-create-images-tables';
import { AddSbomContractChecks1764300000000 } from './migrations/1764300000000-add-sbom-contract-checks';
import { ImageFamiliesPerOrganisation1764600000000 } from './migrations/1764600000000-image-families-per-organisation';

/** The image registry's migrations, applied with the drift service's others. */
export const IMAGE_REGISTRY_MIGRATIONS: readonly (new () => MigrationInterface)[] = [
  CreateImagesTables1764100000000,
  AddSbomContractChecks1764300000000,
  ImageFamiliesPerOrganisation1764600000000,
];
