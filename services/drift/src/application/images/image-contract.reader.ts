import { parse } from 'yaml';
import { z } from 'zod';
import { ImageError } from '../../domain/images/image.error';
import type { ContractPackages } from '../../domain/images/sbom-contract-check';

/** The parts of an image contract (contracts/images/image-contract.schema.json) the registry checks. */
const ContractDocument = z.object({
  apiVersion: z.literal('resiliencefabric.io/v1'),
  kind: z.literal('ImageContract'),
  metadata: z.object({ family: z.string().min(1), revision: z.number().int().min(1) }),
  spec: z.object({
    packages: z.object({
      required: z.array(
        z.strictObject({
          name: z.string().min(1).max(200),
          version: z.string().min(1).max(64).optional(),
          minVersion: z.string().min(1).max(64).optional(),
        }),
      ),
      forbidden: z.array(z.string().min(1).max(200)).optional(),
    }),
  }),
});

/**
 * Reads the contract a publication carries (YAML or JSON text) and checks it is the one the
 * manifest names: same family, and the revision after the `@` of `contractRef`. The full schema is
 * checked where contracts are written (`rf contracts validate`); here only what the SBOM check reads.
 */
export function readContractPackages(
  text: string,
  manifest: { readonly family: string; readonly contractRef?: string | undefined },
): ContractPackages {
  if (manifest.contractRef === undefined) {
    throw new ImageError(
      'IMAGE.CONTRACT_MISMATCH',
      'A contract was sent, but the manifest names none (contractRef)',
    );
  }
  let document: unknown;
  try {
    document = parse(text, { uniqueKeys: true });
  } catch (error: unknown) {
    throw new ImageError('IMAGE.CONTRACT_INVALID', `The contract is not YAML: ${(error as Error).message}`);
  }
  const result = ContractDocument.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ImageError('IMAGE.CONTRACT_INVALID', `Invalid image contract: ${problems.join('; ')}`, {
      metadata: { problems },
    });
  }
  const { metadata, spec } = result.data;
  const revision = /@(\d+)$/u.exec(manifest.contractRef)?.[1];
  if (
    metadata.family !== manifest.family ||
    (revision !== undefined && Number(revision) !== metadata.revision)
  ) {
    throw new ImageError(
      'IMAGE.CONTRACT_MISMATCH',
      `The contract sent (${metadata.family} revision ${metadata.revision}) is not the one the manifest names (${manifest.contractRef} for ${manifest.family})`,
      {
        metadata: { contractRef: manifest.contractRef, family: metadata.family, revision: metadata.revision },
      },
    );
  }
  return {
    required: spec.packages.required.map((p) => ({
      name: p.name,
      ...(p.version === undefined ? {} : { version: p.version }),
      ...(p.minVersion === undefined ? {} : { minVersion: p.minVersion }),
    })),
    forbidden: spec.packages.forbidden ?? [],
  };
}
