import {
  buildEvidencePack,
  type EvidencePackIndex,
  readEvidencePackArchive,
  samplePackInput,
  samplePackLogKey,
  writeEvidencePackArchive,
} from '@rf/platform-evidence-pack';
import { Ed25519NoteSigner, formatCheckpoint, formatSignedNote, signNote } from '@rf/platform-ledger-proof';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main';
import type { Output } from '../output';

const VKEY = samplePackLogKey.verifier.toVkey();
const PACK = buildEvidencePack(samplePackInput()).archive;

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

function tamper(change: (files: Map<string, Buffer>) => void): Buffer {
  const files = readEvidencePackArchive(PACK);
  change(files);
  return writeEvidencePackArchive(files);
}

function editIndex(files: Map<string, Buffer>, edit: (index: EvidencePackIndex) => void): void {
  const index = JSON.parse((files.get('index.json') as Buffer).toString('utf8')) as EvidencePackIndex;
  edit(index);
  files.set('index.json', Buffer.from(JSON.stringify(index)));
}

describe('rf evidence-pack', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rf-pack-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const verify = async (archive: Buffer, ...args: string[]) => {
    const path = join(dir, `p-${Math.random().toString(16).slice(2)}.zip`);
    await writeFile(path, archive);
    const output = capture();
    const code = await main(['node', 'rf', 'evidence-pack', 'verify', path, ...args, '--json'], output, {});
    const report =
      code === 2
        ? undefined
        : (JSON.parse(output.stdout.join('\n')) as { findings: { severity: string; code: string }[] });
    return {
      code,
      errors: report?.findings.filter((f) => f.severity === 'error').map((f) => f.code),
      output,
    };
  };

  describe('verify', () => {
    it('exits 0 for an honest pack checked with the log key', async () => {
      expect(await verify(PACK, '--vkey', VKEY)).toMatchObject({ code: 0, errors: [] });
    });

    it('prints a verdict and what it checked', async () => {
      const path = join(dir, 'honest.zip');
      await writeFile(path, PACK);
      const output = capture();
      expect(await main(['node', 'rf', 'evidence-pack', 'verify', path, '--vkey', VKEY], output, {})).toBe(0);
      expect(output.stdout[0]).toMatch(
        /^VERIFIED: .*honest\.zip \(log ledger\.test\.resiliencefabric\.io\/evidence, size 5, root [0-9a-f]{64}\)$/,
      );
      expect(output.stdout[1]).toBe('checked 12 files, 5 inclusion proofs, 5 payloads');
    });

    it('exits 1 for a tampered file', async () => {
      const bad = tamper((f) => f.set('policy/decisions.csv', Buffer.from('x')));
      expect(await verify(bad, '--vkey', VKEY)).toMatchObject({ code: 1, errors: ['FILE_HASH_MISMATCH'] });
    });

    it('exits 1 for a removed file', async () => {
      const bad = tamper((f) => f.delete('payloads/2.json'));
      expect(await verify(bad, '--vkey', VKEY)).toMatchObject({
        code: 1,
        errors: ['FILE_MISSING', 'FILE_MISSING'],
      });
    });

    it('exits 1 for a tampered inclusion proof', async () => {
      const bad = tamper((f) =>
        editIndex(f, (index) => {
          const entry = index.entries[4];
          if (entry) entry.inclusionProof[1] = '0'.repeat(64);
        }),
      );
      expect(await verify(bad, '--vkey', VKEY)).toMatchObject({
        code: 1,
        errors: ['INCLUSION_PROOF_INVALID'],
      });
    });

    it('exits 1 for a forged checkpoint, even one carrying the forger key', async () => {
      const forger = Ed25519NoteSigner.generate(samplePackLogKey.keyName);
      const input = samplePackInput();
      const note = formatSignedNote(
        signNote(
          formatCheckpoint({
            origin: input.log.origin,
            size: input.log.treeSize,
            rootHash: input.log.rootHash,
            extensions: [],
          }),
          [forger],
        ),
      );
      const forged = buildEvidencePack({
        ...input,
        log: { ...input.log, checkpoint: note, vkeys: [forger.verifier.toVkey()] },
      });
      const result = await verify(forged.archive, '--vkey', VKEY);
      expect(result.code).toBe(1);
      expect(result.errors).toContain('NO_TRUSTED_SIGNATURE');
    });

    it('exits 2 without a key to trust, or for a missing file', async () => {
      expect((await verify(PACK)).code).toBe(2);
      const output = capture();
      expect(
        await main(
          ['node', 'rf', 'evidence-pack', 'verify', join(dir, 'nope.zip'), '--vkey', VKEY],
          output,
          {},
        ),
      ).toBe(2);
      expect(output.stderr.join('\n')).toMatch(/no such file/);
    });
  });

  describe('generate', () => {
    let server: Server;
    let url: string;
    let served: { status: number; type: string; body: Buffer };
    let received: unknown;

    beforeAll(async () => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received = {
            method: req.method,
            url: req.url,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
          };
          res.writeHead(served.status, { 'content-type': served.type });
          res.end(served.body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const args = ['--from', '2026-11-01T00:00:00Z', '--to', '2026-11-02T00:00:00Z', '--env', 'prod'];

    it('posts the window and environment, and writes the pack it gets back', async () => {
      served = { status: 200, type: 'application/zip', body: PACK };
      const out = join(dir, 'generated.zip');
      const output = capture();
      const code = await main(
        ['node', 'rf', 'evidence-pack', 'generate', ...args, '--url', url, '--out', out],
        output,
        {},
      );
      expect(code).toBe(0);
      expect(received).toEqual({
        method: 'POST',
        url: '/api/v1/ledger/evidence-packs',
        body: { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', environment: 'prod' },
      });
      expect((await readFile(out)).equals(PACK)).toBe(true);
      expect(output.stdout[0]).toMatch(
        /^wrote .*generated\.zip: 5 entries of a log of 5, 13 files; .*driftReports absent/,
      );
    });

    it('exits 1 with the problem when the ledger refuses, or serves something that is not a pack', async () => {
      served = {
        status: 404,
        type: 'application/problem+json',
        body: Buffer.from(
          JSON.stringify({ code: 'LEDGER.NO_CHECKPOINT', detail: 'No checkpoint has been published yet' }),
        ),
      };
      const output = capture();
      expect(
        await main(
          ['node', 'rf', 'evidence-pack', 'generate', ...args, '--url', url, '--out', join(dir, 'x.zip')],
          output,
          {},
        ),
      ).toBe(1);
      expect(output.stderr[0]).toBe(
        'rf evidence-pack generate: the ledger answered 404: LEDGER.NO_CHECKPOINT: No checkpoint has been published yet',
      );
      served = { status: 200, type: 'application/zip', body: tamper((f) => f.delete('checkpoint.note')) };
      expect(
        await main(
          ['node', 'rf', 'evidence-pack', 'generate', ...args, '--url', url, '--out', join(dir, 'y.zip')],
          capture(),
          {},
        ),
      ).toBe(1);
    });

    it('exits 2 for a bad window and 69 when the ledger is unreachable', async () => {
      const bad = ['--from', 'yesterday', '--to', '2026-11-02T00:00:00Z', '--env', 'prod', '--url', url];
      expect(await main(['node', 'rf', 'evidence-pack', 'generate', ...bad], capture(), {})).toBe(2);
      const reversed = [
        '--from',
        '2026-11-03T00:00:00Z',
        '--to',
        '2026-11-02T00:00:00Z',
        '--env',
        'prod',
        '--url',
        url,
      ];
      expect(await main(['node', 'rf', 'evidence-pack', 'generate', ...reversed], capture(), {})).toBe(2);
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      expect(
        await main(
          [
            'node',
            'rf',
            'evidence-pack',
            'generate',
            ...args,
            '--url',
            `http://127.0.0.1:${port}`,
            '--out',
            join(dir, 'z.zip'),
          ],
          capture(),
          {},
        ),
      ).toBe(69);
    });
  });
});
