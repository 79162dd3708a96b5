/** A package as an SBOM diff sees it. */
export interface SbomPackage {
  readonly spdxId: string;
  readonly name: string;
  readonly version: string | null;
  /** Package URL without its version: the identity a package keeps across versions. */
  readonly purl: string | null;
  readonly supplier: string | null;
}

export interface SpdxDocument {
  readonly name: string;
  readonly documentNamespace: string;
  readonly created: string;
  readonly packages: readonly SbomPackage[];
}

export type SpdxParseResult =
  | { readonly ok: true; readonly document: SpdxDocument }
  | { readonly ok: false; readonly problems: readonly string[] };

const SPDX_ID = /^SPDXRef-[A-Za-z0-9.-]+$/;
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const CREATOR = /^(Person|Organization|Tool): .+/;
const MAX_PROBLEMS = 20;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Reads an SPDX 2.3 JSON document and checks what the registry relies on (ADR-006): the document
 * header, creation info, packages with SPDX ids, names and versions, and a DESCRIBES relationship
 * from the document to a package it contains.
 */
export function parseSpdx23(json: string): SpdxParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (error: unknown) {
    return { ok: false, problems: [`not JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (!isObject(doc)) return { ok: false, problems: ['the document must be a JSON object'] };
  const problems: string[] = [];
  if (doc['spdxVersion'] !== 'SPDX-2.3') problems.push('spdxVersion must be "SPDX-2.3"');
  if (doc['dataLicense'] !== 'CC0-1.0') problems.push('dataLicense must be "CC0-1.0"');
  if (doc['SPDXID'] !== 'SPDXRef-DOCUMENT') problems.push('SPDXID must be "SPDXRef-DOCUMENT"');
  const name = text(doc['name']);
  if (!name) problems.push('name is required');
  const namespace = text(doc['documentNamespace']);
  if (!namespace || !URL.canParse(namespace) || namespace.includes('#')) {
    problems.push('documentNamespace must be an absolute URI without a fragment');
  }
  const creation = doc['creationInfo'];
  const created = isObject(creation) ? text(creation['created']) : undefined;
  if (!created || !RFC3339_UTC.test(created)) problems.push('creationInfo.created must be a UTC timestamp');
  const creators = isObject(creation) ? creation['creators'] : undefined;
  if (
    !Array.isArray(creators) ||
    creators.length === 0 ||
    !creators.every((c) => typeof c === 'string' && CREATOR.test(c))
  ) {
    problems.push('creationInfo.creators must list "Tool: …", "Organization: …" or "Person: …"');
  }
  const rawPackages = doc['packages'];
  const packages: SbomPackage[] = [];
  if (!Array.isArray(rawPackages) || rawPackages.length === 0) {
    problems.push('packages must be a non-empty array');
  } else {
    const ids = new Set<string>();
    rawPackages.forEach((raw: unknown, i) => {
      const at = `packages[${i}]`;
      if (!isObject(raw)) {
        problems.push(`${at} must be an object`);
        return;
      }
      const spdxId = text(raw['SPDXID']);
      const pkgName = text(raw['name']);
      if (!spdxId || !SPDX_ID.test(spdxId)) problems.push(`${at}.SPDXID must look like SPDXRef-…`);
      else if (ids.has(spdxId)) problems.push(`${at}.SPDXID ${spdxId} is not unique`);
      if (!pkgName) problems.push(`${at}.name is required`);
      if (raw['downloadLocation'] === undefined) problems.push(`${at}.downloadLocation is required`);
      if (!spdxId || !pkgName) return;
      ids.add(spdxId);
      packages.push({
        spdxId,
        name: pkgName,
        version: text(raw['versionInfo']) ?? null,
        purl: purlOf(raw['externalRefs']),
        supplier: text(raw['supplier']) ?? null,
      });
    });
    const relationships = doc['relationships'];
    const describes = [
      ...(Array.isArray(doc['documentDescribes']) ? (doc['documentDescribes'] as unknown[]) : []),
      ...(Array.isArray(relationships)
        ? relationships
            .filter(
              (r): r is Record<string, unknown> =>
                isObject(r) &&
                r['relationshipType'] === 'DESCRIBES' &&
                r['spdxElementId'] === 'SPDXRef-DOCUMENT',
            )
            .map((r) => r['relatedSpdxElement'])
        : []),
    ];
    if (!describes.some((id) => typeof id === 'string' && ids.has(id))) {
      problems.push('the document must DESCRIBE one of its packages (the image)');
    }
  }
  if (problems.length > 0 || !name || !namespace || !created) {
    return { ok: false, problems: problems.slice(0, MAX_PROBLEMS) };
  }
  return { ok: true, document: { name, documentNamespace: namespace, created, packages } };
}

/** The versionless purl of a package's PACKAGE-MANAGER purl reference, if it has one. */
function purlOf(refs: unknown): string | null {
  if (!Array.isArray(refs)) return null;
  for (const ref of refs) {
    if (!isObject(ref) || ref['referenceType'] !== 'purl') continue;
    const locator = text(ref['referenceLocator']);
    if (!locator?.startsWith('pkg:')) continue;
    // pkg:type/namespace/name@version?qualifiers#subpath: drop version, qualifiers and subpath.
    return locator.replace(/[?#].*$/, '').replace(/@[^/]*$/, '');
  }
  return null;
}
