import { readFile } from 'node:fs/promises';
import type { CredentialResolver } from '../../application/ports/credential-resolver.port';
import {
  type CredentialReference,
  formatCredentialReference,
} from '../../domain/connector/credential-reference.value-object';
import { InventoryError } from '../../domain/inventory.error';

const MAX_SECRET_FILE_BYTES = 64 * 1024;

/**
 * Resolves `env:` references from the process environment and `file:` references from mounted secret
 * files (trailing newline trimmed), read at each scan so a rotated secret is picked up.
 */
export class ReferenceCredentialResolver implements CredentialResolver {
  constructor(private readonly environment: Readonly<Record<string, string | undefined>>) {}

  async resolve(reference: CredentialReference): Promise<string> {
    switch (reference.scheme) {
      case 'env': {
        const value = this.environment[reference.locator];
        if (value === undefined || value === '') throw unresolved(reference, 'the variable is not set');
        return value;
      }
      case 'file': {
        let text: string;
        try {
          const buffer = await readFile(reference.locator);
          if (buffer.length > MAX_SECRET_FILE_BYTES) throw unresolved(reference, 'the file is too large');
          text = buffer.toString('utf8');
        } catch (error: unknown) {
          if (error instanceof InventoryError) throw error;
          const code = (error as { code?: unknown }).code;
          throw unresolved(reference, typeof code === 'string' ? code : 'unreadable');
        }
        const value = text.replace(/\r?\n$/u, '');
        if (value === '') throw unresolved(reference, 'the file is empty');
        return value;
      }
    }
  }
}

function unresolved(reference: CredentialReference, why: string): InventoryError {
  const ref = formatCredentialReference(reference);
  return new InventoryError('INVENTORY.CREDENTIAL_UNRESOLVED', `Credential ${ref} unresolved: ${why}`, {
    metadata: { reference: ref },
  });
}
