import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUILD = join(__dirname, '../../../../../contracts/policies/build.sh');

export interface SignedPolicyBundle {
  readonly dir: string;
  readonly bundlePath: string;
  readonly publicKeyPem: string;
}

/**
 * Compiles the committed Rego into the real wasm bundle, signed with a key made for the test, in a
 * fresh temporary directory (the committed bundle.sha256 is left alone).
 */
export function buildSignedPolicyBundle(): SignedPolicyBundle {
  const dir = mkdtempSync(join(tmpdir(), 'rf-auth-policy-'));
  const keys = generateKeyPairSync('ed25519');
  const keyPath = join(dir, 'signing.pem');
  writeFileSync(keyPath, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const bundlePath = join(dir, 'bundle.tar.gz');
  execFileSync(BUILD, ['--no-record', '--sign', keyPath, bundlePath], { stdio: 'pipe' });
  return { dir, bundlePath, publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
