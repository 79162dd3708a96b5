import {
  exampleFiles,
  readExample,
  readInvalidExampleExpectations,
} from '../scripts/contract-examples.fixture';
import { isJsonObject } from '../scripts/json-value.types';
import { formatValidationError, isEventType, validateEventData } from './event-data.validator';
import { EVENT_CATALOGUE, EVENT_TYPES } from './generated/event-catalogue';
import type { EventType } from './generated/event-data.types';
import { CLOUDEVENT_HEADERS_VALIDATOR, DEAD_LETTER_HEADERS_VALIDATOR } from './generated/event-validators';

const typeOfExample = (file: string): EventType => {
  const name = file.replace(/\.(valid|invalid)\.json$/, '');
  const type = EVENT_TYPES.find((t) => EVENT_CATALOGUE[t].name === name);
  if (type === undefined) throw new Error(`${file} matches no event type`);
  return type;
};

describe('validateEventData', () => {
  const files = exampleFiles();
  const valid = files.filter((f) => f.endsWith('.valid.json'));
  const expectations = readInvalidExampleExpectations();

  it('has a valid and an invalid example, and a README row, for every event type', () => {
    const names = EVENT_TYPES.map((t) => EVENT_CATALOGUE[t].name);
    expect(valid).toEqual(names.map((n) => `${n}.valid.json`).sort());
    expect(files.filter((f) => f.endsWith('.invalid.json'))).toEqual(
      names.map((n) => `${n}.invalid.json`).sort(),
    );
    expect(expectations.map((e) => e.file).sort()).toEqual(names.map((n) => `${n}.invalid.json`).sort());
  });

  it.each(valid)('accepts %s', (file) => {
    expect(validateEventData(typeOfExample(file), readExample(file))).toEqual({
      ok: true,
      data: readExample(file),
    });
  });

  it.each(expectations)('rejects $file at $path only', ({ file, path }) => {
    const result = validateEventData(typeOfExample(file), readExample(file));

    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error.startsWith(`${path}: `)).toBe(true);
  });

  it('names the missing, unknown and enum-violating fields in readable messages', () => {
    const example = readExample('drift.detected.v1.valid.json');
    if (!isJsonObject(example)) throw new Error('example is not an object');
    const data: Record<string, unknown> = { ...example, platform: 'openstack', colour: 'blue' };
    delete data['assetId'];

    const result = validateEventData('io.resiliencefabric.drift.detected.v1', data);

    expect(result).toEqual({
      ok: false,
      errors: [
        '/assetId: is required',
        '/colour: is not allowed (unknown property)',
        '/platform: must be one of "aws", "azure", "gcp", "vsphere", "simulated", "file"',
      ],
    });
  });

  it('reports data that is not an object at the root', () => {
    expect(validateEventData('io.resiliencefabric.scan.completed.v1', [])).toEqual({
      ok: false,
      errors: ['(root): must be object'],
    });
  });

  it('answers an unknown type instead of throwing, for unchecked ce_type headers', () => {
    const type = 'io.resiliencefabric.asset.exploded.v1' as EventType;

    expect(isEventType(type)).toBe(false);
    expect(validateEventData(type, {})).toEqual({
      ok: false,
      errors: ["(type): unknown event type 'io.resiliencefabric.asset.exploded.v1'"],
    });
  });

  it('escapes JSON pointer characters in property names', () => {
    expect(
      formatValidationError({
        keyword: 'additionalProperties',
        instancePath: '/tags',
        schemaPath: '#/additionalProperties',
        params: { additionalProperty: 'a/b~c' },
      }),
    ).toBe('/tags/a~1b~0c: is not allowed (unknown property)');
  });
});

describe('header validators', () => {
  const headers = {
    ce_specversion: '1.0',
    ce_id: '51a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8',
    ce_source: '/rf/drift',
    ce_type: 'io.resiliencefabric.drift.detected.v1',
    ce_time: '2025-11-22T08:16:30Z',
    ce_subject: '3f6c2a9e-8b1d-4e57-9c0a-2d7e5b4f1a63',
    ce_correlationid: 'req-7f3a',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    'content-type': 'application/json',
    'x-other-tool': 'kept',
  };

  it('accepts CloudEvents binary-mode headers and tolerates foreign ones', () => {
    expect(CLOUDEVENT_HEADERS_VALIDATOR(headers)).toBe(true);
  });

  it('rejects an envelope without an id', () => {
    const withoutId: Record<string, string> = { ...headers };
    delete withoutId['ce_id'];

    expect(CLOUDEVENT_HEADERS_VALIDATOR(withoutId)).toBe(false);
  });

  it('accepts dead-letter headers with decimal-string numbers', () => {
    expect(
      DEAD_LETTER_HEADERS_VALIDATOR({
        ...headers,
        rf_dlq_reason: '/assetId: is required',
        rf_dlq_error_code: 'EVENTS.SCHEMA_VIOLATION',
        rf_dlq_attempts: '1',
        rf_dlq_original_topic: 'rf.drift.drift.v1',
        rf_dlq_original_partition: '2',
        rf_dlq_original_offset: '88120',
        rf_dlq_consumer_group: 'rf-compliance',
        rf_dlq_failed_at: '2025-11-22T08:16:31Z',
      }),
    ).toBe(true);
  });
});
