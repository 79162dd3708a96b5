export * from './vsphere-call.error';
export * from './vsphere-soap.client';
export * from './vsphere-soap.xml';
