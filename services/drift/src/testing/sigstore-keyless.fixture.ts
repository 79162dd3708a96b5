import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/*
 * A throwaway Sigstore deployment for offline tests of keyless verification: a Fulcio-like CA that
 * issues short-lived code-signing certificates carrying the OIDC identity (SAN) and issuer
 * extensions and an embedded SCT from a CT log, and a Rekor-like log that signs an inclusion
 * promise (SET) and a checkpoint for each hashedrekord entry. The trusted root lists the CA, the
 * log and the CT log, as a Sigstore `trusted_root.json` does.
 */

// Minimal DER encoding, enough for X.509 v3 certificates.
function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...content: Buffer[]) => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...content: Buffer[]) => tlv(0x30, ...content);
const octets = (value: Buffer) => tlv(0x04, value);
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
const bool = (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
const bits = (value: Buffer, unused = 0) => tlv(0x03, Buffer.from([unused]), value);
function integer(value: Buffer): Buffer {
  let v = value;
  while (v.length > 1 && v.readUInt8(0) === 0 && (v.readUInt8(1) & 0x80) === 0) v = v.subarray(1);
  return tlv(0x02, (v.readUInt8(0) & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), v]) : v);
}
function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}
function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/gu, '').slice(2, 14);
  return tlv(0x17, Buffer.from(`${text}Z`, 'ascii'));
}
const name = (commonName: string) =>
  seq(tlv(0x31, seq(oid('2.5.4.10'), utf8('rf-test'))), tlv(0x31, seq(oid('2.5.4.3'), utf8(commonName))));
const extension = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const uint = (value: number, bytes: number) => {
  const out = Buffer.alloc(bytes);
  out.writeUIntBE(value, 0, bytes);
  return out;
};

function certificate(
  fields: {
    serial: number;
    issuer: Buffer;
    subject: Buffer;
    notBefore: Date;
    notAfter: Date;
    publicKey: KeyObject;
  },
  extensions: Buffer[],
  signer: KeyObject,
): { der: Buffer; tbs: Buffer } {
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(uint(fields.serial, 6)),
    ECDSA_SHA256,
    fields.issuer,
    seq(utcTime(fields.notBefore), utcTime(fields.notAfter)),
    fields.subject,
    spki(fields.publicKey),
    tlv(0xa3, seq(...extensions)),
  );
  return { der: seq(tbs, ECDSA_SHA256, bits(sign('sha256', tbs, signer))), tbs };
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const OID_FULCIO_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const OID_FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const OID_SCT_LIST = '1.3.6.1.4.1.11129.2.4.2';

export interface KeylessSigning {
  /** The identity (SAN URI) and OIDC issuer the certificate carries. */
  readonly identity: string;
  readonly issuer: string;
}

/** A Fulcio CA, a CT log and a Rekor log of one test, and the trusted root that names them. */
export class SigstoreKeylessFixture {
  private readonly ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private readonly ctlog = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private readonly rekor = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private readonly caName = name('rf-test fulcio');
  private readonly caDer: Buffer;
  private readonly start: Date;
  private serial = 1;
  private logIndex = 0;

  constructor(now = new Date()) {
    this.start = new Date(now.getTime() - 3_600_000);
    this.caDer = certificate(
      {
        serial: this.serial++,
        issuer: this.caName,
        subject: this.caName,
        notBefore: this.start,
        notAfter: new Date(now.getTime() + 365 * 86_400_000),
        publicKey: this.ca.publicKey,
      },
      [
        extension('2.5.29.15', true, bits(Buffer.from([0x06]), 1)), // keyCertSign, cRLSign
        extension('2.5.29.19', true, seq(bool(true))),
      ],
      this.ca.privateKey,
    ).der;
  }

  /** A Sigstore `trusted_root.json` with this fixture's CA, Rekor log and CT log. */
  trustedRoot(): Record<string, unknown> {
    const log = (key: KeyObject, baseUrl: string) => ({
      baseUrl,
      hashAlgorithm: 'SHA2_256',
      publicKey: {
        rawBytes: spki(key).toString('base64'),
        keyDetails: 'PKIX_ECDSA_P256_SHA_256',
        validFor: { start: this.start.toISOString() },
      },
      logId: { keyId: sha256(spki(key)).toString('base64') },
    });
    return {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [log(this.rekor.publicKey, 'https://rekor.rf-test.example')],
      certificateAuthorities: [
        {
          subject: { organization: 'rf-test', commonName: 'rf-test fulcio' },
          uri: 'https://fulcio.rf-test.example',
          certChain: { certificates: [{ rawBytes: this.caDer.toString('base64') }] },
          validFor: { start: this.start.toISOString() },
        },
      ],
      ctlogs: [log(this.ctlog.publicKey, 'https://ctfe.rf-test.example')],
      timestampAuthorities: [],
    };
  }

  /**
   * What `cosign sign-blob --bundle` writes for a keyless signer: a fresh key, a ten-minute
   * certificate for the identity with an embedded SCT, the signature over the payload and the
   * Rekor entry (inclusion promise and proof), as a v0.3 bundle.
   */
  sign(payload: Buffer, signer: KeylessSigning, now = new Date()): Record<string, unknown> {
    const ephemeral = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const extensions = [
      extension('2.5.29.15', true, bits(Buffer.from([0x80]), 7)), // digitalSignature
      extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.3'))), // codeSigning
      extension('2.5.29.17', true, seq(tlv(0x86, Buffer.from(signer.identity, 'ascii')))),
      extension(OID_FULCIO_ISSUER_V1, false, Buffer.from(signer.issuer, 'ascii')),
      extension(OID_FULCIO_ISSUER_V2, false, utf8(signer.issuer)),
    ];
    const fields = {
      serial: this.serial++,
      issuer: this.caName,
      subject: seq(),
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + 600_000),
      publicKey: ephemeral.publicKey,
    };
    // The CT log signs the precertificate: the TBS without the SCT list, bound to the issuer's key.
    const precert = certificate(fields, extensions, this.ca.privateKey).tbs;
    const timestamp = Buffer.alloc(8);
    timestamp.writeBigUInt64BE(BigInt(now.getTime()));
    const signed = Buffer.concat([
      Buffer.from([0, 0]),
      timestamp,
      uint(1, 2),
      sha256(spki(this.ca.publicKey)),
      uint(precert.length, 3),
      precert,
      uint(0, 2),
    ]);
    const sctSignature = sign('sha256', signed, this.ctlog.privateKey);
    const sct = Buffer.concat([
      Buffer.from([0]),
      sha256(spki(this.ctlog.publicKey)),
      timestamp,
      uint(0, 2),
      Buffer.from([4, 3]),
      uint(sctSignature.length, 2),
      sctSignature,
    ]);
    const sctList = Buffer.concat([uint(sct.length + 2, 2), uint(sct.length, 2), sct]);
    const leaf = certificate(
      fields,
      [...extensions, extension(OID_SCT_LIST, false, octets(sctList))],
      this.ca.privateKey,
    ).der;

    const digest = sha256(payload);
    const signature = sign('sha256', payload, ephemeral.privateKey);
    const pem = `-----BEGIN CERTIFICATE-----\n${leaf.toString('base64')}\n-----END CERTIFICATE-----\n`;
    const body = Buffer.from(
      canonicalJson({
        apiVersion: '0.0.1',
        kind: 'hashedrekord',
        spec: {
          data: { hash: { algorithm: 'sha256', value: digest.toString('hex') } },
          signature: {
            content: signature.toString('base64'),
            publicKey: { content: Buffer.from(pem).toString('base64') },
          },
        },
      }),
    );
    const logId = sha256(spki(this.rekor.publicKey));
    const logIndex = this.logIndex++;
    const integratedTime = Math.floor(now.getTime() / 1000);
    const set = sign(
      'sha256',
      Buffer.from(
        canonicalJson({
          body: body.toString('base64'),
          integratedTime,
          logIndex,
          logID: logId.toString('hex'),
        }),
      ),
      this.rekor.privateKey,
    );
    // A log holding this entry alone: its root is the entry's leaf hash.
    const root = sha256(Buffer.concat([Buffer.from([0]), body]));
    const note = `rekor.rf-test.example - 1\n1\n${root.toString('base64')}\n`;
    const noteSignature = Buffer.concat([
      logId.subarray(0, 4),
      sign('sha256', Buffer.from(note), this.rekor.privateKey),
    ]);
    return {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: {
        certificate: { rawBytes: leaf.toString('base64') },
        tlogEntries: [
          {
            logIndex: String(logIndex),
            logId: { keyId: logId.toString('base64') },
            kindVersion: { kind: 'hashedrekord', version: '0.0.1' },
            integratedTime: String(integratedTime),
            inclusionPromise: { signedEntryTimestamp: set.toString('base64') },
            inclusionProof: {
              // The entry's position in the one-entry tree the checkpoint commits to.
              logIndex: '0',
              rootHash: root.toString('base64'),
              treeSize: '1',
              hashes: [],
              checkpoint: {
                envelope: `${note}\n\u2014 rekor.rf-test.example ${noteSignature.toString('base64')}\n`,
              },
            },
            canonicalizedBody: body.toString('base64'),
          },
        ],
        timestampVerificationData: { rfc3161Timestamps: [] },
      },
      messageSignature: {
        messageDigest: { algorithm: 'SHA2_256', digest: digest.toString('base64') },
        signature: signature.toString('base64'),
      },
    };
  }
}
