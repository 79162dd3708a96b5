import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A self-signed certificate for 127.0.0.1 (test-only, trusted by nothing else), for SDKs that refuse bearer tokens over plain HTTP. */
export const LOOPBACK_TLS = {
  cert: readFileSync(join(__dirname, 'loopback-tls.cert.pem'), 'utf8'),
  key: readFileSync(join(__dirname, 'loopback-tls.key.pem'), 'utf8'),
};
