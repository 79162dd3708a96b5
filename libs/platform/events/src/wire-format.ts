/**
 * The Confluent schema-registry wire format: magic byte 0, the schema id as a 4-byte big-endian
 * integer, then the JSON document.
 */
export function encodeWireFormat(schemaId: number, data: unknown, alreadyJson = false): Buffer {
  const json = Buffer.from(alreadyJson ? (data as string) : JSON.stringify(data), 'utf8');
  const out = Buffer.allocUnsafe(5 + json.length);
  out.writeUInt8(0, 0);
  out.writeInt32BE(schemaId, 1);
  json.copy(out, 5);
  return out;
}

export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

export function decodeWireFormat(value: Buffer | null): { schemaId: number; data: unknown } {
  if (!value || value.length < 5)
    throw new WireFormatError('value is shorter than the 5-byte wire-format header');
  if (value.readUInt8(0) !== 0) throw new WireFormatError(`unknown magic byte ${value.readUInt8(0)}`);
  const schemaId = value.readInt32BE(1);
  try {
    return { schemaId, data: JSON.parse(value.subarray(5).toString('utf8')) as unknown };
  } catch (error: unknown) {
    throw new WireFormatError(`value is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
