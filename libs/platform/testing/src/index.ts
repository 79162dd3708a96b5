export * from './stack-endpoints';
export * from './tcp-probe';
export * from './wait-for';
