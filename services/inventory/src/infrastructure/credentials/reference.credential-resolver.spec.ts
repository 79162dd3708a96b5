import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InventoryError } from '../../domain/inventory.error';
import { ReferenceCredentialResolver } from './reference.credential-resolver';

describe('ReferenceCredentialResolver', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rf-credentials-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const resolver = new ReferenceCredentialResolver({ VC_PASSWORD: 's3cret', EMPTY: '' });

  it('reads environment variables and secret files', async () => {
    await writeFile(join(dir, 'token'), 'from-file\n');
    await expect(resolver.resolve({ scheme: 'env', locator: 'VC_PASSWORD' })).resolves.toBe('s3cret');
    await expect(resolver.resolve({ scheme: 'file', locator: join(dir, 'token') })).resolves.toBe(
      'from-file',
    );
  });

  it.each([
    [{ scheme: 'env', locator: 'MISSING' }, /env:MISSING unresolved: the variable is not set/],
    [{ scheme: 'env', locator: 'EMPTY' }, /not set/],
    [{ scheme: 'file', locator: '/nonexistent/rf-secret' }, /ENOENT/],
  ] as const)('fails clearly for %j', async (reference, message) => {
    const failure = resolver.resolve(reference);
    await expect(failure).rejects.toThrow(InventoryError);
    await expect(failure).rejects.toThrow(message);
  });
});
