import { gzipSync } from 'node:zlib';
import { loadWasmBundle } from './wasm-policy';

function tarOf(files: Record<string, Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, body] of Object.entries(files)) {
    const header = Buffer.alloc(512);
    header.write(name, 0);
    header.write(body.length.toString(8).padStart(11, '0'), 124);
    header.write('0', 156);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]));
}

describe('loadWasmBundle', () => {
  it.each([
    ['not gzip', Buffer.from('garbage'), /not a readable tar.gz/],
    ['a bundle without policy.wasm', tarOf({ 'data.json': Buffer.from('{}') }), /no policy.wasm/],
    [
      'policy.wasm that is not WebAssembly',
      tarOf({ 'policy.wasm': Buffer.from('\0asm-not-really') }),
      /cannot be loaded/,
    ],
  ])('refuses %s with POLICY.BUNDLE_INVALID', async (_, bundle, message) => {
    await expect(loadWasmBundle(bundle)).rejects.toThrow(message);
    await expect(loadWasmBundle(bundle)).rejects.toMatchObject({ code: 'POLICY.BUNDLE_INVALID' });
  });
});
