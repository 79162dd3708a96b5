/** A value of the I-JSON data model (RFC 7493) that RFC 8785 canonicalises. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;

export interface JsonObject {
  readonly [key: string]: JsonValue;
}
