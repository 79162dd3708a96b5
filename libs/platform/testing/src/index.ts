export * from './fake-api/loopback-fault.proxy';
export * from './fake-api/loopback-tls';
export * from './fake-api/recorded-api.server';
export * from './fake-api/scripted-api.server';
export * from './stack-endpoints';
export * from './tcp-probe';
export * from './wait-for';
