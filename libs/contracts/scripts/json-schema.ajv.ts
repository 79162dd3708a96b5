import addFormats from 'ajv-formats';
import { _, Ajv2020 } from 'ajv/dist/2020';

export interface StrictAjvOptions {
  /** Keep generated source for `ajv/dist/standalone`. */
  readonly standalone?: boolean;
}

/**
 * The one Ajv configuration used to check, compile and test the contracts: draft 2020-12, strict
 * mode (unknown keywords, ambiguous types and unevaluated `required` names are errors), all
 * errors reported, formats from ajv-formats, and `x-rf` accepted as an annotation.
 */
export function createStrictAjv(options: StrictAjvOptions = {}): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    // Standalone code imports the formats by this name instead of `require`-ing them inline.
    ...(options.standalone === true
      ? { code: { source: true, esm: true, lines: true, formats: _`fullFormats` } }
      : {}),
  });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'x-rf', schemaType: 'object' });
  return ajv;
}
