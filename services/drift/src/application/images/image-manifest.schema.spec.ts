import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { assertPlatformRefs } from '../../domain/images/platform-ref';
import { parseImageManifest } from './image-manifest.schema';

const EXAMPLE = resolve(
  __dirname,
  '../../../../../contracts/images/examples/ubuntu-22-04-base.manifest.json',
);

describe('the image manifest', () => {
  it('accepts the committed example, platform references included', () => {
    const manifest = parseImageManifest(readFileSync(EXAMPLE, 'utf8'));
    expect(manifest).toMatchObject({ family: 'ubuntu-22-04-base', hardening: { level: 2, score: 96 } });
    expect(() => assertPlatformRefs(manifest.artifacts)).not.toThrow();
  });

  it('names every problem of a bad manifest', () => {
    const bad = JSON.stringify({
      family: 'Ubuntu',
      version: '1',
      os: { name: 'ubuntu', version: '22.04' },
      artifacts: [],
      sbom: { format: 'cyclonedx', uri: 'not a uri', sha256: 'x' },
      hardening: { profile: 'cis', level: 3, score: 101 },
      builtAt: 'yesterday',
      extra: true,
    });
    expect(() => parseImageManifest(bad)).toThrow(
      expect.objectContaining({ code: 'IMAGE.MANIFEST_INVALID' }) as Error,
    );
    try {
      parseImageManifest(bad);
    } catch (error: unknown) {
      const problems = (error as { metadata: { problems: string[] } }).metadata.problems;
      expect(problems.map((p) => p.split(':')[0])).toEqual([
        'family',
        'artifacts',
        'sbom.format',
        'sbom.uri',
        'sbom.sha256',
        'hardening.level',
        'hardening.score',
        'builtAt',
        '(manifest)',
      ]);
    }
    expect(() => parseImageManifest('{')).toThrow(/not JSON/);
  });
});
