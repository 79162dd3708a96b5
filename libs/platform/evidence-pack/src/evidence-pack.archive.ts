import { unzipSync, type Zippable, zipSync } from 'fflate';

/** Refused on reading: a pack bigger than this uncompressed is not one this platform wrote. */
export const MAX_EVIDENCE_PACK_BYTES = 1 << 30;

/**
 * ZIP stores DOS local times; a date built from local components gives the same octets in every time
 * zone. 1980-01-01 is the earliest a ZIP can hold, and says plainly that it is not a real time.
 */
function fixedModificationTime(): Date {
  return new Date(1980, 0, 1, 0, 0, 0);
}

/**
 * The same files always give the same archive, byte for byte: entries sorted by path, one fixed
 * modification time, fixed compression and attributes. So a pack can be hashed, compared and re-made.
 */
export function writeEvidencePackArchive(files: ReadonlyMap<string, Uint8Array>): Buffer {
  const mtime = fixedModificationTime();
  const zippable: Zippable = {};
  for (const path of [...files.keys()].sort()) {
    zippable[path] = [files.get(path) as Uint8Array, { level: 6, mtime, os: 3, attrs: 0o100644 << 16 }];
  }
  return Buffer.from(zipSync(zippable, { level: 6, mtime }));
}

export class EvidencePackArchiveError extends Error {}

/** The archive's files by path; refuses what is not a ZIP, or is too large once inflated. */
export function readEvidencePackArchive(archive: Uint8Array): Map<string, Buffer> {
  let total = 0;
  let unzipped: Record<string, Uint8Array>;
  try {
    unzipped = unzipSync(archive, {
      filter: (file) => {
        total += file.originalSize;
        if (total > MAX_EVIDENCE_PACK_BYTES) {
          throw new EvidencePackArchiveError(`the archive inflates beyond ${MAX_EVIDENCE_PACK_BYTES} bytes`);
        }
        return true;
      },
    });
  } catch (error: unknown) {
    if (error instanceof EvidencePackArchiveError) throw error;
    throw new EvidencePackArchiveError(
      `not a readable ZIP archive: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const files = new Map<string, Buffer>();
  for (const [path, bytes] of Object.entries(unzipped)) {
    // Directory entries carry no evidence.
    if (!path.endsWith('/')) files.set(path, Buffer.from(bytes));
  }
  return files;
}
