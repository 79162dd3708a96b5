import { ConnectorFailure } from '../../../domain/scan/connector-failure.error';
import { CsvSyntaxError, parseCsv } from './csv-table.parser';
import { type AssetFileFormat, formatOf, parseAssetFile } from './file-asset.parser';
import { arrayElementLines, jsonSyntaxErrorLine } from './json-element-lines.locator';

function problemsOf(text: string, format: AssetFileFormat): string[] {
  try {
    parseAssetFile(text, format);
  } catch (error: unknown) {
    if (error instanceof ConnectorFailure) return error.problems.map((p) => p.message);
    throw error;
  }
  throw new Error('expected the file to be refused');
}

const VALID_JSON = `[
  {
    "platform": "aws",
    "account": "123456789012",
    "region": "eu-west-1",
    "instanceId": "i-1",
    "state": "running",
    "imageName": "ubuntu-22-04-base-2025.10.14",
    "tags": { "environment": "prod" }
  },
  { "account": "cmdb", "region": "LDN-DC1", "instanceId": "srv-2", "state": "stopped" }
]`;

describe('parseAssetFile', () => {
  it('imports a JSON array, defaulting the platform to file', () => {
    const records = parseAssetFile(VALID_JSON, 'json');
    expect(records).toHaveLength(2);
    expect(records[1]).toEqual({
      account: 'cmdb',
      region: 'LDN-DC1',
      instanceId: 'srv-2',
      state: 'stopped',
      platform: 'file',
    });
  });

  it('imports an object with an assets array, JSON Lines and CSV alike', () => {
    expect(parseAssetFile(`{"assets": ${VALID_JSON}}`, 'json')).toHaveLength(2);
    const jsonl =
      '{"account":"a","region":"r","instanceId":"1","state":"running"}\n\n{"account":"a","region":"r","instanceId":"2","state":"running"}\n';
    expect(parseAssetFile(jsonl, 'jsonl')).toHaveLength(2);
    const csv = [
      'platform,account,region,instance_id,state,image_ref,tag:environment,tag:Name',
      'aws,123456789012,eu-west-1,i-1,running,ami-1,prod,"api, primary"',
      'aws,123456789012,eu-west-1,i-2,stopped,,,',
    ].join('\r\n');
    expect(parseAssetFile(csv, 'csv')).toEqual([
      {
        platform: 'aws',
        account: '123456789012',
        region: 'eu-west-1',
        instanceId: 'i-1',
        state: 'running',
        imageRef: 'ami-1',
        tags: { environment: 'prod', Name: 'api, primary' },
      },
      { platform: 'aws', account: '123456789012', region: 'eu-west-1', instanceId: 'i-2', state: 'stopped' },
    ]);
  });

  it('refuses the whole JSON file, naming the line of every invalid asset', () => {
    const text = `[
  { "account": "a", "region": "r", "instanceId": "1", "state": "running" },
  { "account": "a", "region": "r", "instanceId": "2", "state": "on" },
  {
    "account": "a",
    "instanceId": "3", "state": "running", "colour": "blue"
  }
]`;
    expect(problemsOf(text, 'json')).toEqual([
      'line 3: /state: must be one of "running", "stopped", "terminated"',
      'line 4: /region: is required',
      'line 4: /colour: is not allowed (unknown property)',
    ]);
  });

  it('names the line of a JSON syntax error', () => {
    expect(problemsOf('[\n  {"account": "a"},\n  {"account": }\n]', 'json')).toEqual([
      expect.stringMatching(/^line 3: not valid JSON/),
    ]);
  });

  it('refuses duplicates, pointing at the first occurrence', () => {
    const csv = 'account,region,instance_id,state\na,r,1,running\na,r,2,running\na,r,1,stopped\n';
    expect(problemsOf(csv, 'csv')).toEqual([
      'line 4: duplicate of the asset on line 2 (same platform, account, region, instanceId)',
    ]);
  });

  it('names CSV lines, counting quoted line breaks, and refuses unknown columns and ragged rows', () => {
    const csv =
      'account,region,instance_id,state,tag:note\na,r,1,running,"two\nlines"\na,r,2,sleeping,x\na,r,3\n';
    expect(problemsOf(csv, 'csv')).toEqual([
      'line 4: /state: must be one of "running", "stopped", "terminated"',
      'line 5: has 3 cells, the header has 5',
    ]);
    expect(problemsOf('account,region,instance,state\n', 'csv')).toEqual([
      'line 1: unknown column(s): instance',
    ]);
  });

  it('names the line of a JSON Lines error', () => {
    expect(
      problemsOf('{"account":"a","region":"r","instanceId":"1","state":"running"}\n{oops}\n', 'jsonl'),
    ).toEqual([expect.stringMatching(/^line 2: not valid JSON/)]);
  });

  it('refuses a document of the wrong shape', () => {
    expect(problemsOf('{"items": []}', 'json')).toEqual([
      expect.stringMatching(/^line 1: the document must be/),
    ]);
  });

  it('guesses the format from the file name', () => {
    expect([formatOf('a.CSV'), formatOf('a.jsonl'), formatOf('a.ndjson'), formatOf('a.json')]).toEqual([
      'csv',
      'jsonl',
      'jsonl',
      'json',
    ]);
  });
});

describe('arrayElementLines', () => {
  it('finds where each element starts, ignoring brackets and commas inside strings', () => {
    const text = '{\n "meta": {"assets": [1]},\n "assets": [\n  {"a": "[,]"},\n\n  "x\\"]"\n  ,3\n ]\n}';
    expect(arrayElementLines(text, 'assets')).toEqual([4, 6, 7]);
    expect(arrayElementLines('[1,\n2,\n[3]]', 'assets')).toEqual([1, 2, 3]);
    expect(arrayElementLines('[]', 'assets')).toEqual([]);
  });
});

describe('parseCsv', () => {
  it('handles quotes, escaped quotes, CRLF, a BOM and blank lines', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x ""y""",\r\n\r\n"",z')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x "y"', ''] },
      { line: 4, cells: ['', 'z'] },
    ]);
  });

  it('refuses malformed quoting with its line', () => {
    const lineOf = (text: string) => {
      try {
        parseCsv(text);
      } catch (error: unknown) {
        if (error instanceof CsvSyntaxError) return error.line;
      }
      return null;
    };
    expect(lineOf('a\n"open')).toBe(2);
    expect(lineOf('a\nx"y"')).toBe(2);
  });
});

describe('jsonSyntaxErrorLine', () => {
  it.each([
    ['[1, 2]', null],
    ['{"a": [true, false, null, -1.5e3, "x\\u0041\\n"]}', null],
    ['[\n1,\n2,\n]', 4],
    ['{\n"a": 1\n"b": 2}', 3],
    ['[\n"unterminated', 2],
    ['[1]\n\nx', 3],
    ['{"a":\n tru}', 2],
    ['"bad \\q escape"', 1],
  ])('%p → %p', (text, line) => {
    expect(jsonSyntaxErrorLine(text)).toBe(line);
  });
});
