import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawAssetPage } from '../../../application/ports/connector.port';
import { ConnectorFailure } from '../../../domain/scan/connector-failure.error';
import { FileConnector } from './file.connector';

describe('FileConnector', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rf-inventory-file-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function pagesOf(connector: FileConnector): Promise<RawAssetPage[]> {
    const pages: RawAssetPage[] = [];
    for await (const page of connector.pages({
      scanId: 's',
      sequence: 1,
      signal: new AbortController().signal,
    })) {
      pages.push(page);
    }
    return pages;
  }

  it('reads the file by its extension and pages its records', async () => {
    const path = join(dir, 'fleet.csv');
    const rows = Array.from({ length: 5 }, (_, i) => `a,r,i-${i},running`);
    await writeFile(path, ['account,region,instance_id,state', ...rows].join('\n'));
    const pages = await pagesOf(new FileConnector({ id: 'f', path, pageSize: 2 }));
    expect(pages.map((p) => p.records.length)).toEqual([2, 2, 1]);
  });

  it('yields nothing from an invalid file', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(
      path,
      '[{"account":"a","region":"r","instanceId":"1","state":"running"},{"account":"a"}]',
    );
    const pages: RawAssetPage[] = [];
    await expect(
      (async () => {
        for await (const page of new FileConnector({ id: 'f', path }).pages({
          scanId: 's',
          sequence: 1,
          signal: new AbortController().signal,
        })) {
          pages.push(page);
        }
      })(),
    ).rejects.toBeInstanceOf(ConnectorFailure);
    expect(pages).toEqual([]);
  });

  it('refuses a file above the size limit before reading it', async () => {
    const path = join(dir, 'big.json');
    await writeFile(path, '[]'.padEnd(100, ' '));
    await expect(pagesOf(new FileConnector({ id: 'f', path, maxBytes: 10 }))).rejects.toMatchObject({
      code: 'INVENTORY.FILE_IMPORT_INVALID',
    });
  });
});
