import { gzipSync } from 'node:zlib';
import { readTarGz } from './tar-gz.reader';

function header(name: string, size: number, type = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write(size.toString(8).padStart(11, '0'), 124);
  h.write(type, 156);
  return h;
}

function entry(name: string, body: string, type = '0'): Buffer {
  const data = Buffer.from(body);
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([header(name, data.length, type), padded]);
}

describe('readTarGz', () => {
  it('returns regular files by path and skips directories', () => {
    const tar = Buffer.concat([
      entry('/bundle/', '', '5'),
      entry('/policy.wasm', 'wasm-bytes'),
      entry('data.json', '{"a":1}'),
      Buffer.alloc(1024),
    ]);
    const files = readTarGz(gzipSync(tar));
    expect([...files.keys()]).toEqual(['policy.wasm', 'data.json']);
    expect(files.get('data.json')?.toString()).toBe('{"a":1}');
  });

  it('rejects a truncated archive', () => {
    const tar = entry('policy.wasm', 'x'.repeat(600)).subarray(0, 700);
    expect(() => readTarGz(gzipSync(tar))).toThrow(/truncated/);
  });
});
