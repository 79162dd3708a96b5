import { moRefOf, moRefOfType, parseXml, returnValue } from './vsphere-soap.xml';

describe('managed object references in property answers', () => {
  // A property declared as ManagedObjectReference carries xsi:type and type; the parser keeps one.
  const answer = parseXml(
    '<Envelope><Body><RetrievePropertiesExResponse><returnval>' +
      '<val xsi:type="ManagedObjectReference" type="Folder">group-4</val>' +
      '</returnval></RetrievePropertiesExResponse></Body></Envelope>',
  );
  const val = (returnValue(answer) as { val: never }).val;

  it('takes the referenced type from the caller, since the attributes collide', () => {
    expect(moRefOfType(val, 'Folder')).toEqual({ type: 'Folder', value: 'group-4' });
    expect(moRefOfType(undefined, 'Folder')).toBeUndefined();
  });

  it('reads a plain reference with its own type', () => {
    const plain = returnValue(
      parseXml(
        '<Envelope><Body><CloneVM_TaskResponse><returnval type="Task">task-9</returnval></CloneVM_TaskResponse></Body></Envelope>',
      ),
    );
    expect(moRefOf(plain)).toEqual({ type: 'Task', value: 'task-9' });
  });
});
