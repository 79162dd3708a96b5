import { ConfigError } from '@rf/platform-config';
import { loadImageRegistryConfig } from './image-registry.config';

describe('loadImageRegistryConfig', () => {
  it('warns on signatures outside production', () => {
    expect(loadImageRegistryConfig({})).toEqual({
      signatureMode: 'warn',
      trustedKeysFile: null,
      trustedRootFile: null,
      certificateIdentity: null,
      certificateIssuer: null,
    });
  });

  it('enforces signatures in production, and lists every missing setting at once', () => {
    try {
      loadImageRegistryConfig({ RF_ENV: 'production', RF_IMAGES_SIGNATURE_MODE: 'warn' });
      throw new Error('expected a ConfigError');
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'RF_IMAGES_SIGNATURE_MODE: must be enforce when RF_ENV=production',
      ]);
    }
    const config = loadImageRegistryConfig({
      RF_ENV: 'production',
      RF_IMAGES_TRUSTED_KEYS_FILE: '/etc/rf/cosign-keys.json',
    });
    expect(config).toMatchObject({ signatureMode: 'enforce' });
  });

  it('needs trust anchors when signatures are enforced', () => {
    expect(() => loadImageRegistryConfig({ RF_IMAGES_SIGNATURE_MODE: 'enforce' })).toThrow(
      /RF_IMAGES_TRUSTED_KEYS_FILE or RF_IMAGES_SIGSTORE_TRUSTED_ROOT: required/,
    );
    expect(() => loadImageRegistryConfig({ RF_IMAGES_SIGNATURE_MODE: 'strict' })).toThrow(ConfigError);
  });
});
