import { resolve } from 'node:path';
import { main } from '../main';
import type { Output } from '../output';
import { ImageContractValidator } from './contracts-validate.command';

const ROOT = resolve(__dirname, '../../../..');

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('rf contracts validate', () => {
  it('accepts the committed contracts and their filled examples', async () => {
    const out = capture();
    await expect(main(['node', 'rf', 'contracts', 'validate'], out, {})).resolves.toBe(0);
    expect(out.stdout).toContain('ok    contracts/images/image.contract.yaml');
    expect(out.stdout).toContain('ok    contracts/images/image.contract.windows.yaml');
    expect(out.stdout.at(-1)).toBe('4 valid, 0 invalid');
  });

  it('fails on the invalid examples, naming the line of each problem', async () => {
    const out = capture();
    await expect(
      main(['node', 'rf', 'contracts', 'validate', 'contracts/images/examples/invalid'], out, {}),
    ).resolves.toBe(1);
    const lines = out.stdout.join('\n');
    const dir = 'contracts/images/examples/invalid';
    expect(lines).toContain(
      `${dir}/linux-with-windows-settings.contract.yaml:19:5: /spec/hardening/level: must be one of 1, 2`,
    );
    expect(lines).toContain(
      `${dir}/linux-with-windows-settings.contract.yaml:34:3: /spec/windows: is not allowed here`,
    );
    expect(lines).toContain(
      `${dir}/windows-missing-laps.contract.windows.yaml:34:3: /spec/windows: missing required property "laps"`,
    );
    expect(lines).toContain(
      `${dir}/windows-missing-laps.contract.windows.yaml:40:7: /spec/windows/defender/realTimeProtection: must be true`,
    );
    expect(lines).toMatch(/not-yaml\.contract\.yaml:1:\d+: YAML: /);
    expect(out.stdout.at(-1)).toBe('0 valid, 3 invalid');
  });

  it('reports as JSON, and refuses a missing file', async () => {
    const out = capture();
    const code = await main(
      ['node', 'rf', 'contracts', 'validate', '--json', 'contracts/images/nope.contract.yaml'],
      out,
      {},
    );
    expect(code).toBe(1);
    const report = JSON.parse(out.stdout.join('\n')) as {
      valid: boolean;
      files: { problems: { message: string }[] }[];
    };
    expect(report.valid).toBe(false);
    expect(report.files[0]?.problems[0]?.message).toBe('no such file');
  });

  it('checks Windows-only requirements only on Windows contracts', () => {
    const validator = ImageContractValidator.fromRepository(ROOT);
    const linux = (extra: string) => `apiVersion: resiliencefabric.io/v1
kind: ImageContract
metadata: { family: f, revision: 1, owner: o }
spec:
  os: { family: ${extra}, name: ubuntu, version: "22.04", architecture: x86_64 }
  baseImage: { ref: base }
  hardening: { profile: cis, benchmark: b, level: 1, minimumScore: 80 }
  packages: { required: [] }
  sbom: { format: spdx-2.3+json, ref: "s3://b/{version}.json" }
  signing: { tool: cosign, mode: key, keyRef: k }
  provenance: { slsaLevel: 1, builderId: "https://ci.example.com" }
  platforms: [aws]
`;
    expect(validator.validateText('a.yaml', linux('linux')).valid).toBe(true);
    const windows = validator.validateText('b.yaml', linux('windows'));
    expect(windows.problems.map((p) => [p.line, p.path, p.message])).toEqual([
      [4, '/spec', 'missing required property "windows"'],
      [5, '/spec/os/name', 'must be "windows_server"'],
    ]);
  });
});
