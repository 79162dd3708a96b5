import { comparePackageVersions } from './package-version';
import { checkSbomAgainstContract } from './sbom-contract-check';
import type { SbomPackage } from './spdx-document';

const pkg = (name: string, version: string | null): SbomPackage => ({
  spdxId: `SPDXRef-${name}`,
  name,
  version,
  purl: null,
  supplier: null,
});

describe('comparePackageVersions', () => {
  it.each([
    ['1:8.9p1-3ubuntu0.10', '1:8.9p1-3ubuntu0.10', 0],
    ['1:8.9p1-3ubuntu0.10', '1:8.9p1-3ubuntu0.9', 1],
    ['1:8.9p1-3ubuntu0.10', '1:9.0p1-1', -1],
    ['8.9p1', '1:8.0', -1],
    ['2.10.0', '2.9.9', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.0a', '1.0', 1],
    ['1.0.0-1.el9', '1.0.0-2.el9', -1],
    ['007', '7', 0],
  ])('%s vs %s is %i', (a, b, expected) => {
    expect(comparePackageVersions(a, b)).toBe(expected);
    expect(comparePackageVersions(b, a)).toBe(-expected || 0);
  });
});

describe('checkSbomAgainstContract', () => {
  const contract = {
    required: [
      { name: 'openssh-server', minVersion: '1:8.9p1-3ubuntu0.10' },
      { name: 'auditd' },
      { name: 'chrony', version: '4.2-2ubuntu2' },
    ],
    forbidden: ['telnetd', 'rsh-server'],
  };

  it('is satisfied when every required package is listed at a fitting version and none forbidden', () => {
    const check = checkSbomAgainstContract('contracts/images/image.contract.yaml@3', contract, [
      pkg('openssh-server', '1:8.9p1-3ubuntu0.11'),
      pkg('Auditd', '1:3.0.7-1build1'),
      pkg('chrony', '4.2-2ubuntu2'),
      pkg('bash', '5.1-6ubuntu1'),
    ]);
    expect(check).toEqual({
      contractRef: 'contracts/images/image.contract.yaml@3',
      satisfied: true,
      missing: [],
      mismatched: [],
      forbiddenPresent: [],
    });
  });

  it('reports missing, mismatched and forbidden packages', () => {
    const check = checkSbomAgainstContract('c@1', contract, [
      pkg('openssh-server', '1:8.9p1-3ubuntu0.9'),
      pkg('openssh-server', null),
      pkg('chrony', '4.2-2ubuntu3'),
      pkg('telnetd', '0.17-44build1'),
    ]);
    expect(check).toEqual({
      contractRef: 'c@1',
      satisfied: false,
      missing: ['auditd'],
      mismatched: [
        { name: 'openssh-server', required: '>=1:8.9p1-3ubuntu0.10', found: ['1:8.9p1-3ubuntu0.9', null] },
        { name: 'chrony', required: '=4.2-2ubuntu2', found: ['4.2-2ubuntu3'] },
      ],
      forbiddenPresent: ['telnetd'],
    });
  });

  it('lets any listed copy of a package satisfy its least version', () => {
    const check = checkSbomAgainstContract(
      'c@1',
      { required: contract.required.slice(0, 1), forbidden: [] },
      [pkg('openssh-server', '1:8.0'), pkg('openssh-server', '1:9.3p1-1')],
    );
    expect(check.satisfied).toBe(true);
  });
});
