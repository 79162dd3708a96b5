import {
  type AuditBundleDocument,
  Ed25519NoteSigner,
  encodeAuditBundle,
  encodeLeaf,
  formatCheckpoint,
  formatSignedNote,
  InMemoryMerkleTree,
  type JsonValue,
  payloadHashOf,
  payloadRefFor,
  signNote,
} from '@rf/platform-ledger-proof';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main';
import type { Output } from '../output';

const ORIGIN = 'ledger.test.resiliencefabric.io/evidence';
const logKey = Ed25519NoteSigner.generate(ORIGIN);
const VKEY = logKey.verifier.toVkey();

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

const payloadOf = (i: number): JsonValue => ({
  decisionId: `d-${i}`,
  result: i % 3 === 0 ? 'deny' : 'allow',
});
const LEAVES = Array.from({ length: 40 }, (_, i) => {
  const eventId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  return encodeLeaf({
    eventId,
    type: 'io.resiliencefabric.policy.decided.v1',
    subject: `d-${i}`,
    time: '2025-11-22T09:06:01Z',
    payloadHash: payloadHashOf(payloadOf(i)),
    payloadRef: payloadRefFor(eventId),
  });
});
const TREE = InMemoryMerkleTree.fromLeaves(LEAVES);

function note(size: number, signer: Ed25519NoteSigner = logKey): string {
  const text = formatCheckpoint({ origin: ORIGIN, size, rootHash: TREE.root(size), extensions: [] });
  return formatSignedNote(signNote(text, [signer]));
}

/** What an honest ledger serves: checkpoints at `sizes` (the last is its head) and every entry up to it. */
function honestBundle(sizes: readonly number[], signer?: Ed25519NoteSigner): AuditBundleDocument {
  const head = sizes.at(-1)!;
  return encodeAuditBundle({
    treeSize: head,
    fromIndex: 0,
    toIndex: head,
    checkpoints: sizes.map((size) => note(size, signer)),
    consistencyProofs: sizes.slice(1).map((toSize, i) => ({
      fromSize: sizes[i]!,
      toSize,
      proof: TREE.consistencyProof(sizes[i]!, toSize),
    })),
    entries: LEAVES.slice(0, head).map((leaf, index) => ({
      index,
      leaf,
      inclusionProof: { treeSize: head, proof: TREE.inclusionProof(index, head) },
      payload: payloadOf(index),
    })),
  });
}

type MutableEntries = AuditBundleDocument['entries'][number][];

describe('rf ledger', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rf-ledger-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, content: unknown): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  }

  async function verify(
    bundle: AuditBundleDocument | string,
    extra: readonly string[] = [],
  ): Promise<{ code: number; report: { ok: boolean; findings: { code: string; entryIndex?: number }[] } }> {
    const output = capture();
    const path = await file('bundle.json', bundle);
    const code = await main(
      ['node', 'rf', 'ledger', 'verify', '--bundle', path, '--vkey', VKEY, '--json', ...extra],
      output,
      {},
    );
    return { code, report: JSON.parse(output.stdout.join('\n')) as never };
  }

  const errors = (report: { findings: { code: string }[] }) =>
    report.findings.filter((f) => (f as { severity?: string }).severity === 'error').map((f) => f.code);

  describe('verify', () => {
    it('exits 0 for an honest bundle and reports what it checked', async () => {
      const { code, report } = await verify(honestBundle([10, 25, 40]));
      expect(code).toBe(0);
      expect(report).toMatchObject({
        ok: true,
        origin: ORIGIN,
        head: { size: 40, rootHash: TREE.root(40).toString('hex') },
        checkpointsVerified: 3,
        consistencyProofsVerified: 2,
        inclusionProofsVerified: 40,
        entriesReplayed: 40,
        findings: [],
      });
    });

    it('takes the vkey from a file and checkpoints saved earlier, and prints a summary', async () => {
      const vkeys = await file('log.vkey', `# the ledger\n${VKEY}\n`);
      const saved = await file('saved.note', note(25));
      const bundle = await file('bundle.json', honestBundle([25, 40]));
      const output = capture();
      const args = ['--bundle', bundle, '--vkey', vkeys, '--checkpoint', saved];
      expect(await main(['node', 'rf', 'ledger', 'verify', ...args], output, {})).toBe(0);
      expect(output.stdout[0]).toMatch(
        /^VERIFIED: .*bundle\.json \(log ledger\.test\.resiliencefabric\.io\/evidence, head size 40/,
      );
      expect(output.stdout[1]).toBe(
        'checked 3 checkpoints, 1 consistency proofs, 40 inclusion proofs; replayed 40 entries',
      );
    });

    it('exits 1 for a bit flipped in a leaf, naming the entry', async () => {
      const bundle = honestBundle([20, 40]);
      const entries = [...bundle.entries] as MutableEntries;
      const leaf = Buffer.from(entries[7]!.leaf, 'base64');
      leaf[12]! ^= 0x01;
      entries[7] = { ...entries[7]!, leaf: leaf.toString('base64') };
      const { code, report } = await verify({ ...bundle, entries });
      expect(code).toBe(1);
      expect(report.findings).toContainEqual(
        expect.objectContaining({ code: 'INCLUSION_PROOF_INVALID', entryIndex: 7 }),
      );
      expect(errors(report)).toContain('ROOT_MISMATCH');
    });

    it('exits 1 for a deleted entry', async () => {
      const bundle = honestBundle([40]);
      const entries = bundle.entries.filter((e) => e.index !== 13);
      const { code, report } = await verify({ ...bundle, entries });
      expect(code).toBe(1);
      expect(errors(report)).toEqual(expect.arrayContaining(['ENTRY_INDEX_GAP', 'LOG_TRUNCATED']));
    });

    it('exits 1 for reordered entries', async () => {
      const bundle = honestBundle([40]);
      const entries = [...bundle.entries] as MutableEntries;
      const [a, b] = [entries[3]!, entries[4]!];
      entries[3] = { ...a, leaf: b.leaf, payload: b.payload };
      entries[4] = { ...b, leaf: a.leaf, payload: a.payload };
      const { code, report } = await verify({ ...bundle, entries });
      expect(code).toBe(1);
      expect(
        report.findings.filter((f) => f.code === 'INCLUSION_PROOF_INVALID').map((f) => f.entryIndex),
      ).toEqual([3, 4]);
    });

    it('exits 1 for a truncated log, even when the bundle no longer claims to be complete', async () => {
      const bundle = honestBundle([40]);
      const truncated = { ...bundle, complete: false, entries: bundle.entries.slice(0, 30) };
      expect((await verify(truncated)).code).toBe(0);
      const { code, report } = await verify(truncated, ['--complete']);
      expect(code).toBe(1);
      expect(errors(report)).toContain('LOG_TRUNCATED');
    });

    it('exits 1 for a log rewound below a checkpoint the auditor saved', async () => {
      const saved = await file('saved.note', note(40));
      const { code, report } = await verify(honestBundle([10, 20]), ['--checkpoint', saved]);
      expect(code).toBe(1);
      expect(errors(report)).toEqual(expect.arrayContaining(['LOG_ROLLBACK', 'CONSISTENCY_PROOF_MISSING']));
    });

    it('exits 1 for a checkpoint signed by another key, and for an altered payload', async () => {
      const impostor = Ed25519NoteSigner.generate(ORIGIN);
      expect(errors((await verify(honestBundle([40], impostor))).report)).toContain('NO_TRUSTED_SIGNATURE');
      const bundle = honestBundle([40]);
      const entries = [...bundle.entries] as MutableEntries;
      entries[2] = { ...entries[2]!, payload: { decisionId: 'd-2', result: 'deny' } };
      const { code, report } = await verify({ ...bundle, entries });
      expect(code).toBe(1);
      expect(report.findings).toContainEqual(
        expect.objectContaining({ code: 'PAYLOAD_HASH_MISMATCH', entryIndex: 2 }),
      );
    });

    it('exits 1 for a file that is not a bundle, and prints the findings as a table', async () => {
      expect(errors((await verify('{"format":"something else"}')).report)).toEqual(['BUNDLE_MALFORMED']);
      const output = capture();
      const path = await file('broken.json', '{"format": ');
      expect(
        await main(['node', 'rf', 'ledger', 'verify', '--bundle', path, '--vkey', VKEY], output, {}),
      ).toBe(1);
      expect(output.stdout[0]).toMatch(/^NOT VERIFIED/);
      expect(output.stdout.join('\n')).toMatch(/error\s+BUNDLE_MALFORMED/);
    });

    it('exits 2 on a usage error', async () => {
      const bundle = await file('bundle.json', honestBundle([40]));
      const cases = [
        ['--bundle', bundle],
        ['--bundle', join(dir, 'missing.json'), '--vkey', VKEY],
        ['--bundle', bundle, '--vkey', 'not-a-vkey-nor-a-file'],
        ['--bundle', bundle, '--vkey', VKEY, '--checkpoint', join(dir, 'missing.note')],
        ['--vkey', VKEY],
      ];
      for (const args of cases) {
        const output = capture();
        expect(await main(['node', 'rf', 'ledger', 'verify', ...args], output, {})).toBe(2);
        expect(output.stderr.join('\n')).not.toBe('');
      }
    });
  });

  describe('keygen', () => {
    it('writes the secret key to a private file and prints the vkey that verifies its signatures', async () => {
      const out = join(dir, 'ledger.skey');
      const output = capture();
      expect(
        await main(['node', 'rf', 'ledger', 'keygen', '--origin', ORIGIN, '--out', out], output, {}),
      ).toBe(0);
      const signer = Ed25519NoteSigner.fromSkey((await readFile(out, 'utf8')).trim());
      expect(output.stdout).toEqual([signer.verifier.toVkey()]);
      expect((await stat(out)).mode & 0o777).toBe(0o600);
      // Never overwrites a key.
      expect(
        await main(['node', 'rf', 'ledger', 'keygen', '--origin', ORIGIN, '--out', out], capture(), {}),
      ).toBe(2);
      const badName = ['node', 'rf', 'ledger', 'keygen', '--origin', 'a b', '--out', join(dir, 'x')];
      expect(await main(badName, capture(), {})).toBe(2);
    });
  });

  describe('fetch-bundle', () => {
    let server: Server | undefined;
    const requests: string[] = [];
    const authorizations: (string | undefined)[] = [];

    afterEach(async () => {
      requests.length = 0;
      authorizations.length = 0;
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      server = undefined;
    });

    function serve(status: number, body: unknown): Promise<string> {
      server = createServer((req, res) => {
        requests.push(req.url ?? '');
        authorizations.push(req.headers.authorization);
        const problem = status !== 200;
        res.writeHead(status, { 'content-type': problem ? 'application/problem+json' : 'application/json' });
        res.end(JSON.stringify(body));
      });
      return new Promise((resolve) => {
        server!.listen(0, '127.0.0.1', () => {
          resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`);
        });
      });
    }

    it('downloads a bundle that then verifies offline, linked to the saved checkpoints', async () => {
      const url = await serve(200, honestBundle([10, 25, 40]));
      const saved = [await file('a.note', note(10)), await file('b.note', note(25))];
      const out = join(dir, 'fetched.json');
      const output = capture();
      const args = ['--url', `${url}/`, '--out', out, '--checkpoint', ...saved];
      expect(await main(['node', 'rf', 'ledger', 'fetch-bundle', ...args], output, {})).toBe(0);
      expect(requests).toEqual(['/api/v1/ledger/audit-bundle?from=0&trusted=10%2C25']);
      expect(output.stdout).toEqual([`wrote ${out}: entries [0, 40) of a log of 40, 3 checkpoints`]);

      const verified = capture();
      const verifyArgs = ['--bundle', out, '--vkey', VKEY, '--checkpoint', ...saved];
      expect(await main(['node', 'rf', 'ledger', 'verify', ...verifyArgs], verified, {})).toBe(0);
      expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ treeSize: 40, complete: true });
    });

    it('uses RF_LEDGER_URL and passes the range', async () => {
      const url = await serve(200, honestBundle([40]));
      const output = capture();
      const args = ['--out', join(dir, 'b.json'), '--from', '5', '--to', '9', '--json'];
      expect(
        await main(['node', 'rf', 'ledger', 'fetch-bundle', ...args], output, { RF_LEDGER_URL: url }),
      ).toBe(0);
      expect(requests).toEqual(['/api/v1/ledger/audit-bundle?from=5&to=9']);
      expect(JSON.parse(output.stdout.join('\n'))).toMatchObject({ treeSize: 40, entries: 40 });
      expect(authorizations).toEqual([undefined]);
    });

    it('sends a bearer token from --token or RF_TOKEN, for the gateway', async () => {
      const url = await serve(200, honestBundle([40]));
      const args = ['--url', url, '--out', join(dir, 't.json')];
      expect(
        await main(['node', 'rf', 'ledger', 'fetch-bundle', ...args], capture(), { RF_TOKEN: 'rfk_env' }),
      ).toBe(0);
      expect(
        await main(['node', 'rf', 'ledger', 'fetch-bundle', ...args, '--token', 'tok'], capture(), {
          RF_TOKEN: 'x',
        }),
      ).toBe(0);
      expect(authorizations).toEqual(['Bearer rfk_env', 'Bearer tok']);
    });

    it('exits 1 with the problem when the ledger refuses, 69 when it is unreachable, 2 on bad options', async () => {
      const url = await serve(400, {
        code: 'LEDGER.INVALID_REQUEST',
        detail: 'Invalid request: to: must not be below from',
      });
      const out = join(dir, 'never.json');
      const refused = capture();
      expect(
        await main(['node', 'rf', 'ledger', 'fetch-bundle', '--url', url, '--out', out], refused, {}),
      ).toBe(1);
      expect(refused.stderr.join('\n')).toMatch(/answered 400: LEDGER.INVALID_REQUEST: Invalid request/);
      await expect(readFile(out)).rejects.toThrow();

      const unreachable = capture();
      const down = ['--url', 'http://127.0.0.1:1', '--out', out];
      expect(await main(['node', 'rf', 'ledger', 'fetch-bundle', ...down], unreachable, {})).toBe(69);

      expect(
        await main(['node', 'rf', 'ledger', 'fetch-bundle', '--out', out, '--from', '-1'], capture(), {}),
      ).toBe(2);
      expect(
        await main(
          ['node', 'rf', 'ledger', 'fetch-bundle', '--out', out, '--checkpoint', join(dir, 'none')],
          capture(),
          {},
        ),
      ).toBe(2);
    });

    it('exits 1 when the answer is not a bundle', async () => {
      const url = await serve(200, { hello: 'world' });
      const output = capture();
      expect(
        await main(
          ['node', 'rf', 'ledger', 'fetch-bundle', '--url', url, '--out', join(dir, 'x.json')],
          output,
          {},
        ),
      ).toBe(1);
      expect(output.stderr.join('\n')).toMatch(/did not serve a bundle/);
    });
  });
});
