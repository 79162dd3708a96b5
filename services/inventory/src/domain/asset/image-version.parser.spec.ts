import { parseImageLineage, parseImageName } from './image-version.parser';

describe('parseImageName', () => {
  it.each([
    ['ubuntu-22-04-base-2025.10.14', 'ubuntu-22-04-base', '2025.10.14'],
    ['ubuntu-22-04-base-2025-10-14', 'ubuntu-22-04-base', '2025.10.14'],
    ['ubuntu-22-04-base-v2025.10.14.2', 'ubuntu-22-04-base', '2025.10.14.2'],
    ['win2022-core-20251014', 'win2022-core', '2025.10.14'],
    ['projects/rf-golden/global/images/debian-12-minimal-v20251014', 'debian-12-minimal', '2025.10.14'],
    [
      'https://www.googleapis.com/compute/v1/projects/p/global/images/rhel-9-hardened-v1-4-2',
      'rhel-9-hardened',
      '1.4.2',
    ],
    ['rhel9-golden-v1.4.2', 'rhel9-golden', '1.4.2'],
    ['app-base_2.3', 'app-base', '2.3'],
    ['app-base-1.0.0-rc.1', 'app-base', '1.0.0-rc.1'],
    ['tpl-windows-2022-core-2025.09.30', 'windows-2022-core', '2025.09.30'],
    [
      '/subscriptions/s/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/rf_golden/images/ubuntu-22-04-base/versions/2025.10.14',
      'ubuntu-22-04-base',
      '2025.10.14',
    ],
  ])('%s → family %s, version %s', (name, family, version) => {
    expect(parseImageName(name)).toEqual({ family, version });
  });

  it.each(['ami-0c55b159cbfafe1f0', 'ubuntu-22-04', 'golden', 'image-20251399', 'base-19991014', ''])(
    'finds no version in %p',
    (name) => {
      expect(parseImageName(name).version).toBeNull();
    },
  );
});

describe('parseImageLineage', () => {
  it('prefers the pipeline tags over the name', () => {
    expect(
      parseImageLineage({
        imageName: 'ubuntu-22-04-base-2025.10.14',
        tags: { 'rf:image-version': '2025.11.04', 'rf:image-family': 'ubuntu-golden' },
      }),
    ).toEqual({ family: 'ubuntu-golden', version: '2025.11.04' });
  });

  it('ignores a version tag that the contract would refuse, and falls back to the name', () => {
    expect(
      parseImageLineage({
        imageName: 'ubuntu-22-04-base-2025.10.14',
        tags: { 'rf:image-version': 'not a version!' },
      }),
    ).toEqual({ family: 'ubuntu-22-04-base', version: '2025.10.14' });
  });

  it('reads the image name before the reference, and the reference when the name says nothing', () => {
    expect(
      parseImageLineage({ imageRef: 'ami-0c55b159cbfafe1f0', imageName: 'rhel-9-hardened-v1.2.0' }).version,
    ).toBe('1.2.0');
    expect(
      parseImageLineage({ imageRef: 'tpl-rhel-9-hardened-2025.01.20', imageName: 'Golden RHEL' }).version,
    ).toBe('2025.01.20');
  });

  it('knows neither without any evidence', () => {
    expect(parseImageLineage({ imageRef: 'ami-0c55b159cbfafe1f0' })).toEqual({ family: null, version: null });
  });
});
