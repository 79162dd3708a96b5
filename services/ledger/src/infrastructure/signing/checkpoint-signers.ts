import { Logger } from '@nestjs/common';
import type { Ed25519NoteSigner } from '@rf/platform-ledger-proof';
import type { LedgerConfig } from '../../ledger.config';
import type { DevSigningKeyStore } from './dev-signing-key.store';

const logger = new Logger('LedgerSigningKeys');

/**
 * The keys that sign checkpoints: the configured ones, or outside production the stored dev key. The
 * public vkeys are logged so an auditor can trust them.
 */
export async function loadCheckpointSigners(
  config: LedgerConfig,
  devKeys: DevSigningKeyStore,
): Promise<readonly Ed25519NoteSigner[]> {
  const configured = config.ledger.signingKeys.signers();
  if (configured.length > 0) {
    logger.log({ vkeys: config.ledger.signingKeys.vkeys }, 'signing checkpoints with the configured keys');
    return configured;
  }
  // The config refuses production without a key; this guards against a config built by other means.
  if (config.env === 'production') throw new Error('RF_LEDGER_SIGNING_KEY is required in production');
  const { signer, created } = await devKeys.loadOrCreate(config.ledger.origin);
  const vkey = signer.verifier.toVkey();
  logger.warn(
    { vkey },
    `no RF_LEDGER_SIGNING_KEY: signing checkpoints with the ${created ? 'newly generated' : 'stored'} ` +
      `development key; its vkey is ${vkey}`,
  );
  return [signer];
}
