import { DEFAULT_SERVICE_PORTS, SERVICE_NAMES, type ServiceName } from '@rf/platform-config';

/**
 * Base URL of each service. RF_<SERVICE>_URL overrides one; RF_SERVICES_HOST changes the host of all
 * defaults.
 */
export function serviceEndpoints(
  env: Readonly<Record<string, string | undefined>>,
): { service: ServiceName; url: string }[] {
  const host = env['RF_SERVICES_HOST'] ?? '127.0.0.1';
  return SERVICE_NAMES.map((service) => ({
    service,
    url: (
      env[`RF_${service.toUpperCase()}_URL`] ?? `http://${host}:${DEFAULT_SERVICE_PORTS[service]}`
    ).replace(/\/$/, ''),
  }));
}
