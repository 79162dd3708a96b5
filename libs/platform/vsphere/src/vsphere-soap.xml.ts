import { XMLParser } from 'fast-xml-parser';

/** A managed object reference: `<obj type="VirtualMachine">vm-42</obj>`. */
export interface MoRef {
  readonly type: string;
  readonly value: string;
}

/** A parsed XML element: text, attributes (`@_name`) and child elements. */
export type XmlNode = string | { readonly [key: string]: XmlValue };
export type XmlValue = XmlNode | readonly XmlNode[] | undefined;

// Elements the vSphere schema declares as sequences, kept as arrays even when one is present.
const ALWAYS_ARRAYS = new Set([
  'objects',
  'propSet',
  'OptionValue',
  'CustomFieldValue',
  'CustomFieldDef',
  'ManagedObjectReference',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ALWAYS_ARRAYS.has(name),
});

export function parseXml(xml: string): XmlNode {
  return parser.parse(xml) as XmlNode;
}

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function moRefXml(element: string, ref: MoRef): string {
  return `<${element} type="${escapeXml(ref.type)}">${escapeXml(ref.value)}</${element}>`;
}

export function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

export function child(node: XmlValue, name: string): XmlValue {
  if (node === undefined || typeof node === 'string' || Array.isArray(node)) return undefined;
  return (node as { readonly [key: string]: XmlValue })[name];
}

export function children(node: XmlValue, name: string): readonly XmlNode[] {
  const value = child(node, name);
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly XmlNode[]) : [value as XmlNode];
}

/** Text content of an element, whether it carries attributes (`xsi:type`) or not. */
export function textOf(node: XmlValue): string | undefined {
  if (typeof node === 'string') return node;
  if (node === undefined || Array.isArray(node)) return undefined;
  const text = (node as { readonly [key: string]: XmlValue })['#text'];
  return typeof text === 'string' ? text : '';
}

export function attributeOf(node: XmlValue, name: string): string | undefined {
  const value = child(node, `@_${name}`);
  return typeof value === 'string' ? value : undefined;
}

export function moRefOf(node: XmlValue): MoRef | undefined {
  const type = attributeOf(node, 'type');
  const value = textOf(node);
  return type !== undefined && value ? { type, value } : undefined;
}

/**
 * A reference of a known type: a property whose declared type is `ManagedObjectReference` carries
 * `xsi:type` and `type`, which the parser reads as one attribute, so the referenced type is given.
 */
export function moRefOfType(node: XmlValue, type: string): MoRef | undefined {
  const value = textOf(node);
  return value ? { type, value } : undefined;
}

/** The `returnval` of a SOAP response body (`<XxxResponse><returnval>`), or undefined when void. */
export function returnValue(document: XmlNode): XmlValue {
  const body = child(child(document, 'Envelope'), 'Body');
  if (body === undefined || typeof body === 'string' || Array.isArray(body)) return undefined;
  const response = Object.entries(body as { readonly [key: string]: XmlValue }).find(([key]) =>
    key.endsWith('Response'),
  );
  return response === undefined ? undefined : child(response[1], 'returnval');
}

/** A SOAP fault's type (`InvalidLogin`, `NotAuthenticated`) and message, when the body holds one. */
export function faultOf(document: XmlNode): { readonly type: string; readonly message: string } | undefined {
  const fault = child(child(child(document, 'Envelope'), 'Body'), 'Fault');
  if (fault === undefined) return undefined;
  const detail = child(fault, 'detail');
  let type = 'SoapFault';
  if (detail !== undefined && typeof detail === 'object' && !Array.isArray(detail)) {
    const [first] = Object.entries(detail as { readonly [key: string]: XmlValue }).filter(
      ([k]) => !k.startsWith('@_'),
    );
    if (first !== undefined) type = attributeOf(first[1], 'type') ?? first[0].replace(/Fault$/, '');
  }
  return { type, message: textOf(child(fault, 'faultstring')) ?? 'SOAP fault' };
}
