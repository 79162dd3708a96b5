import { faultOf, parseXml, returnValue, VsphereCallError } from '@rf/platform-vsphere';
import { classifyVsphereFailure } from './vsphere-failure.classifier';
import type { LibraryItem } from './vsphere-rest.client';
import { resolveTemplate, templateIndex, vmRecord } from './vsphere-vm.mapper';

const item = (id: string, name: string, libraryName: string): LibraryItem => ({
  id,
  name,
  type: 'ovf',
  libraryId: `lib-${libraryName}`,
  libraryName,
});

describe('vSphere template references', () => {
  const index = templateIndex([
    item('a1', 'rhel9-golden-v1.4.2', 'golden'),
    item('b1', 'base-v2.0', 'golden'),
    item('b2', 'base-v2.0', 'staging'),
  ]);

  it('resolves an item id, a library/item name and a unique bare name', () => {
    expect(resolveTemplate(index, 'a1')).toEqual({
      imageRef: 'golden/rhel9-golden-v1.4.2',
      imageName: 'rhel9-golden-v1.4.2',
    });
    expect(resolveTemplate(index, 'staging/base-v2.0').imageRef).toBe('staging/base-v2.0');
    expect(resolveTemplate(index, 'rhel9-golden-v1.4.2').imageRef).toBe('golden/rhel9-golden-v1.4.2');
  });

  it('keeps an ambiguous or unknown name as given', () => {
    expect(resolveTemplate(index, 'base-v2.0')).toEqual({ imageRef: 'base-v2.0', imageName: 'base-v2.0' });
    expect(resolveTemplate(index, 'old/tpl-app-v0.9')).toEqual({
      imageRef: 'old/tpl-app-v0.9',
      imageName: 'tpl-app-v0.9',
    });
  });
});

describe('vmRecord', () => {
  const xml = (props: string) =>
    parseXml(
      `<Envelope><Body><RetrievePropertiesExResponse><returnval><objects><obj type="VirtualMachine">vm-7</obj>${props}</objects></returnval></RetrievePropertiesExResponse></Body></Envelope>`,
    );
  const objectOf = (props: string) => {
    const value = returnValue(xml(props));
    const objects = (value as { objects: { propSet: { name: string; val: unknown }[] }[] }).objects;
    return {
      obj: { type: 'VirtualMachine', value: 'vm-7' },
      props: new Map((objects[0]?.propSet ?? []).map((p) => [p.name, p.val as never])),
    };
  };
  const context = {
    account: 'vc-1',
    datacenter: 'DC-Dublin',
    templates: templateIndex([]),
    templateRefKeys: ['rf.template'],
  };

  it('maps name, uuid, power state, template and rf.tag.* settings', () => {
    const record = vmRecord(
      objectOf(
        '<propSet><name>name</name><val xsi:type="xsd:string">app-01</val></propSet>' +
          '<propSet><name>config.instanceUuid</name><val xsi:type="xsd:string">5003-aa</val></propSet>' +
          '<propSet><name>config.template</name><val xsi:type="xsd:boolean">false</val></propSet>' +
          '<propSet><name>runtime.powerState</name><val xsi:type="VirtualMachinePowerState">poweredOff</val></propSet>' +
          '<propSet><name>config.extraConfig</name><val xsi:type="ArrayOfOptionValue">' +
          '<OptionValue xsi:type="OptionValue"><key>rf.template</key><value xsi:type="xsd:string">tpl-app-v3.1</value></OptionValue>' +
          '<OptionValue xsi:type="OptionValue"><key>rf.tag.environment</key><value xsi:type="xsd:string">prod</value></OptionValue>' +
          '</val></propSet>',
      ),
      context,
    );
    expect(record).toEqual({
      platform: 'vsphere',
      account: 'vc-1',
      region: 'DC-Dublin',
      instanceId: '5003-aa',
      state: 'poweredOff',
      imageRef: 'tpl-app-v3.1',
      imageName: 'tpl-app-v3.1',
      tags: { Name: 'app-01', environment: 'prod' },
    });
  });

  it('skips VM templates, which are images rather than assets', () => {
    const template = objectOf(
      '<propSet><name>config.template</name><val xsi:type="xsd:boolean">true</val></propSet>',
    );
    expect(vmRecord(template, context)).toBeNull();
  });
});

describe('vSphere faults', () => {
  it('reads the fault type of a SOAP fault', () => {
    const fault = faultOf(
      parseXml(
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault>' +
          '<faultcode>ServerFaultCode</faultcode><faultstring>Login failure</faultstring>' +
          '<detail><InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin"></InvalidLoginFault></detail>' +
          '</soapenv:Fault></soapenv:Body></soapenv:Envelope>',
      ),
    );
    expect(fault).toEqual({ type: 'InvalidLogin', message: 'Login failure' });
  });

  it.each([
    [new VsphereCallError('op', 503, undefined, 'busy', 2_000), { kind: 'throttled', retryAfterMs: 2_000 }],
    [new VsphereCallError('op', 429, undefined, 'slow down'), { kind: 'throttled' }],
    [new VsphereCallError('Login', 500, 'InvalidLogin', 'Login failure'), { kind: 'auth' }],
    [new VsphereCallError('op', 500, 'NotAuthenticated', 'session gone'), { kind: 'auth' }],
    [new VsphereCallError('op', 502, undefined, 'bad gateway'), { kind: 'transient' }],
    [new VsphereCallError('op', 500, 'InvalidArgument', 'bad spec'), { kind: 'fatal' }],
    [
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
      { kind: 'transient' },
    ],
  ])('classifies %s', (error, failure) => {
    expect(classifyVsphereFailure(error)).toEqual(failure);
  });
});
