import { galleryVersionOf, scaleSetRef } from './azure-vmss-rolling-upgrade.driver';
import { imageOf, organisationCloudGroupTargets } from './cloud-group-rollout.driver';
import { migRef, templatePath } from './gcp-mig-rolling-update.driver';

describe('cloud group references', () => {
  it('reads an ARM scale-set id, whatever its case', () => {
    expect(
      scaleSetRef(
        '/subscriptions/s-1/resourcegroups/rg-web/providers/microsoft.compute/virtualMachineScaleSets/vmss-web',
      ),
    ).toEqual({ subscription: 's-1', resourceGroup: 'rg-web', name: 'vmss-web' });
    expect(() =>
      scaleSetRef('/subscriptions/s-1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm'),
    ).toThrow(/not a VM scale set id/u);
  });

  it('takes the version of a gallery image version id, and none of anything else', () => {
    expect(
      galleryVersionOf(
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/versions/1.5.0',
      ),
    ).toBe('1.5.0');
    expect(galleryVersionOf('Canonical:ubuntu:22_04-lts:latest')).toBeNull();
    expect(galleryVersionOf(undefined)).toBeNull();
  });

  it('reads zonal and regional MIG paths, as paths or URLs', () => {
    expect(migRef('projects/p/zones/europe-west1-b/instanceGroupManagers/web')).toEqual({
      project: 'p',
      zone: 'europe-west1-b',
      region: null,
      name: 'web',
    });
    expect(
      migRef(
        'https://www.googleapis.com/compute/v1/projects/p/regions/europe-west1/instanceGroupManagers/web',
      ),
    ).toEqual({
      project: 'p',
      zone: null,
      region: 'europe-west1',
      name: 'web',
    });
    expect(() => migRef('projects/p/zones/z/instances/vm')).toThrow(/not a managed instance group/u);
  });

  it('compares templates by path and names images by version', () => {
    expect(templatePath('https://www.googleapis.com/compute/v1/projects/p/global/instanceTemplates/t')).toBe(
      'projects/p/global/instanceTemplates/t',
    );
    expect(templatePath('projects/p/global/instanceTemplates/t')).toBe(
      'projects/p/global/instanceTemplates/t',
    );
    const target = { group: 'g', image: 'projects/img/global/images/rhel9-{versionSlug}' };
    expect(imageOf(target, '2025.10.14+b1')).toBe('projects/img/global/images/rhel9-2025-10-14-b1');
    expect(imageOf({ group: 'g', image: '/galleries/g/images/i/versions/{version}' }, '1.5.0')).toBe(
      '/galleries/g/images/i/versions/1.5.0',
    );
  });

  it("maps an organisation's asset to its own group before a mapping for any organisation", () => {
    const asset = '6f0e9c1e-0000-4000-8000-000000000001';
    const targets = organisationCloudGroupTargets({
      [asset]: { group: 'shared', image: 'img-{version}' },
      [`globex/${asset}`]: { group: 'globex-web', image: 'img-{version}' },
    });
    expect(targets.resolve(asset, 'globex')?.group).toBe('globex-web');
    expect(targets.resolve(asset, 'acme')?.group).toBe('shared');
    expect(targets.resolve(asset)?.group).toBe('shared');
    expect(
      organisationCloudGroupTargets({ [`globex/${asset}`]: { group: 'g', image: 'i' } }).resolve(
        asset,
        'acme',
      ),
    ).toBeUndefined();
  });
});
