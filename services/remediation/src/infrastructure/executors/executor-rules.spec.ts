import { parseXml, returnValue } from '@rf/platform-vsphere';
import { fromVersionOf, refreshOfKey, refreshOutcome } from './aws-asg-refresh.executor';
import { rootVolumeState } from './aws-root-volume.operation';
import { automationParameters, automationState } from './aws-ssm-automation.operation';
import { keyDigest, keyUuid } from './side-effect.ledger';
import { extraConfigOf, swapNames } from './vsphere-clone-swap.executor';

describe('instance refresh rules', () => {
  it('waits while a refresh runs and counts only Successful as applied', () => {
    for (const running of ['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']) {
      expect(refreshOutcome(running)).toBe('running');
    }
    expect(refreshOutcome('Successful')).toBe('succeeded');
    for (const failed of ['Failed', 'Cancelled', 'RollbackSuccessful', 'RollbackFailed']) {
      expect(refreshOutcome(failed)).toBe('failed');
    }
  });

  it("finds the key's refresh by launch template version, ignoring older refreshes to it", () => {
    const lt = (version: string) => ({ LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: version } });
    const notBefore = new Date('2026-01-02T00:00:00Z');
    const older = {
      InstanceRefreshId: 'old',
      StartTime: new Date('2026-01-01T00:00:00Z'),
      DesiredConfiguration: lt('3'),
    };
    const other = {
      InstanceRefreshId: 'other',
      StartTime: new Date('2026-01-03T00:00:00Z'),
      DesiredConfiguration: lt('4'),
    };
    const mine = {
      InstanceRefreshId: 'mine',
      StartTime: new Date('2026-01-03T00:00:00Z'),
      DesiredConfiguration: lt('3'),
    };
    expect(refreshOfKey([older, other, mine], 'lt-1', 3, notBefore)?.InstanceRefreshId).toBe('mine');
    expect(refreshOfKey([older, other], 'lt-1', 3, notBefore)).toBeUndefined();
    expect(refreshOfKey([mine], 'lt-2', 3, notBefore)).toBeUndefined();
  });

  it('reads the source version from the description of the version a key created', () => {
    expect(fromVersionOf('rf:abc from=7')).toBe('7');
    expect(fromVersionOf('hand-made')).toBeUndefined();
    expect(fromVersionOf(undefined)).toBeUndefined();
  });
});

describe('per-instance operation rules', () => {
  it('maps root-volume task states', () => {
    expect(['pending', 'in-progress', 'failing'].map(rootVolumeState)).toEqual([
      'running',
      'running',
      'running',
    ]);
    expect(rootVolumeState('succeeded')).toBe('succeeded');
    expect(['failed', 'failed-detached'].map(rootVolumeState)).toEqual(['failed', 'failed']);
  });

  it('maps automation statuses, waiting on approval and schedules', () => {
    expect(['Pending', 'InProgress', 'Waiting', 'PendingApproval', 'Scheduled'].map(automationState)).toEqual(
      Array(5).fill('running'),
    );
    expect(['Success', 'CompletedWithSuccess'].map(automationState)).toEqual(['succeeded', 'succeeded']);
    expect(
      ['Failed', 'TimedOut', 'Cancelled', 'Rejected', 'CompletedWithFailure'].map(automationState),
    ).toEqual(Array(5).fill('failed'));
  });

  it('fills the document parameters', () => {
    expect(
      automationParameters(
        { InstanceId: ['{instanceId}'], ImageId: ['{imageId}'], Notes: ['to {version} on {instanceId}'] },
        { instanceId: 'i-1', imageId: 'ami-2', version: '1.4.2' },
      ),
    ).toEqual({ InstanceId: ['i-1'], ImageId: ['ami-2'], Notes: ['to 1.4.2 on i-1'] });
  });

  it('derives stable tokens from the idempotency key', () => {
    expect(keyDigest('wf:apply:0:a')).toBe(keyDigest('wf:apply:0:a'));
    expect(keyDigest('wf:apply:0:a')).not.toBe(keyDigest('wf:apply:0:b'));
    expect(keyUuid('wf:apply:0:a')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/u,
    );
    expect(keyUuid('wf:apply:0:a')).toBe(keyUuid('wf:apply:0:a'));
  });
});

describe('vSphere swap rules', () => {
  it("names the clone and the retired VM after the VM and the key's digest", () => {
    const names = swapNames('web-01', 'wf:apply:0:a');
    expect(names.cloneName).toMatch(/^web-01-rf-[0-9a-f]{8}$/u);
    expect(names.retiredName).toBe(names.cloneName.replace('-rf-', '-rf-old-'));
    expect(swapNames('web-01', 'wf:apply:0:b').cloneName).not.toBe(names.cloneName);
  });

  it('reads extraConfig from a property collector answer', () => {
    const doc = parseXml(
      '<Envelope><Body><RetrievePropertiesExResponse><returnval><val xsi:type="ArrayOfOptionValue">' +
        '<OptionValue xsi:type="OptionValue"><key>rf.asset-id</key><value xsi:type="xsd:string">a-1</value></OptionValue>' +
        '<OptionValue xsi:type="OptionValue"><key>rf.template</key><value xsi:type="xsd:string"></value></OptionValue>' +
        '</val></returnval></RetrievePropertiesExResponse></Body></Envelope>',
    );
    const val = (returnValue(doc) as { val: unknown }).val;
    expect([...extraConfigOf(val as never)]).toEqual([
      ['rf.asset-id', 'a-1'],
      ['rf.template', ''],
    ]);
  });
});
