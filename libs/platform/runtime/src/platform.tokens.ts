export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const KAFKA = Symbol('KAFKA');
export const DATABASE_READINESS = Symbol('DATABASE_READINESS');
export const KAFKA_READINESS = Symbol('KAFKA_READINESS');
export const REGISTRY_READINESS = Symbol('REGISTRY_READINESS');
export const TEMPORAL_READINESS = Symbol('TEMPORAL_READINESS');
