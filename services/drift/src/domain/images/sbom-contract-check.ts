import { comparePackageVersions } from './package-version';
import type { SbomPackage } from './spdx-document';

/** A package an image contract requires: by name, optionally at an exact or a least version. */
export interface RequiredPackage {
  readonly name: string;
  readonly version?: string;
  readonly minVersion?: string;
}

/** What an image contract says about packages (`spec.packages`). */
export interface ContractPackages {
  readonly required: readonly RequiredPackage[];
  readonly forbidden: readonly string[];
}

export interface PackageVersionMismatch {
  readonly name: string;
  /** `=1.2.3` for an exact version, `>=1.2.3` for a least one. */
  readonly required: string;
  /** The versions the SBOM lists under that name (`null` when a package has none). */
  readonly found: readonly (string | null)[];
}

/** The outcome of checking a version's SBOM against the packages of the contract it names. */
export interface SbomContractCheck {
  /** `<path>@<revision>` as the manifest names it. */
  readonly contractRef: string;
  readonly satisfied: boolean;
  /** Required packages the SBOM does not list. */
  readonly missing: readonly string[];
  /** Required packages listed, but none at the required version. */
  readonly mismatched: readonly PackageVersionMismatch[];
  /** Forbidden packages the SBOM lists. */
  readonly forbiddenPresent: readonly string[];
}

const key = (name: string) => name.trim().toLowerCase();

/**
 * Compares the SBOM's packages with the contract's: each required package must be listed (names
 * compare case-insensitively), at its exact version or at least its least version when the
 * contract gives one (any listed copy may satisfy it); no forbidden package may be listed.
 */
export function checkSbomAgainstContract(
  contractRef: string,
  contract: ContractPackages,
  packages: readonly SbomPackage[],
): SbomContractCheck {
  const versions = new Map<string, (string | null)[]>();
  for (const p of packages) {
    const list = versions.get(key(p.name));
    if (list === undefined) versions.set(key(p.name), [p.version]);
    else list.push(p.version);
  }
  const missing: string[] = [];
  const mismatched: PackageVersionMismatch[] = [];
  for (const required of contract.required) {
    const found = versions.get(key(required.name));
    if (found === undefined) {
      missing.push(required.name);
      continue;
    }
    const exact = required.version;
    const least = required.minVersion;
    const fits = (v: string | null) =>
      v !== null &&
      (exact === undefined || comparePackageVersions(v, exact) === 0) &&
      (least === undefined || comparePackageVersions(v, least) >= 0);
    if ((exact !== undefined || least !== undefined) && !found.some(fits)) {
      mismatched.push({
        name: required.name,
        required: [exact === undefined ? [] : [`=${exact}`], least === undefined ? [] : [`>=${least}`]]
          .flat()
          .join(' '),
        found: [...new Set(found)],
      });
    }
  }
  const forbiddenPresent = contract.forbidden.filter((name) => versions.has(key(name)));
  return {
    contractRef,
    satisfied: missing.length === 0 && mismatched.length === 0 && forbiddenPresent.length === 0,
    missing,
    mismatched,
    forbiddenPresent,
  };
}
