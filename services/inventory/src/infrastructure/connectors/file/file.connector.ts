import { readFile, stat } from 'node:fs/promises';
import type {
  Connector,
  ConnectorScanRequest,
  RawAssetPage,
} from '../../../application/ports/connector.port';
import { ConnectorFailure } from '../../../domain/scan/connector-failure.error';
import { type AssetFileFormat, formatOf, parseAssetFile } from './file-asset.parser';

export interface FileConnectorOptions {
  readonly id: string;
  readonly path: string;
  /** By default from the file extension: `.csv`, `.jsonl`/`.ndjson`, otherwise JSON. */
  readonly format?: AssetFileFormat;
  readonly pageSize?: number;
  /** Files above this size are refused rather than read into memory. */
  readonly maxBytes?: number;
}

const DEFAULT_PAGE_SIZE = 1_000;
const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Offline import of a JSON, JSON Lines or CSV asset export. The whole file is read and validated
 * before the first page is produced, so an invalid file fails the scan without importing anything.
 */
export class FileConnector implements Connector {
  readonly kind = 'file';
  readonly id: string;

  constructor(private readonly options: FileConnectorOptions) {
    this.id = options.id;
  }

  async *pages(request: ConnectorScanRequest): AsyncGenerator<RawAssetPage> {
    const { path } = this.options;
    const maxBytes = this.options.maxBytes ?? DEFAULT_MAX_BYTES;
    const { size } = await stat(path);
    if (size > maxBytes) {
      throw new ConnectorFailure(
        'INVENTORY.FILE_IMPORT_INVALID',
        `The asset file is ${size} bytes, above the ${maxBytes}-byte limit`,
        [
          {
            code: 'INVENTORY.FILE_IMPORT_INVALID',
            message: `file too large: ${size} bytes`,
            retriable: false,
          },
        ],
        { metadata: { size, maxBytes } },
      );
    }
    const text = await readFile(path, { encoding: 'utf8', signal: request.signal });
    const records = parseAssetFile(text, this.options.format ?? formatOf(path));
    const pageSize = this.options.pageSize ?? DEFAULT_PAGE_SIZE;
    for (let start = 0; start < records.length; start += pageSize) {
      request.signal.throwIfAborted();
      yield { records: records.slice(start, start + pageSize) };
    }
  }
}
