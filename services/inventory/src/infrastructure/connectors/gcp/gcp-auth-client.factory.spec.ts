import { JWT } from 'google-auth-library';
import { generateKeyPairSync } from 'node:crypto';
import { gcpAuthClient } from './gcp-auth-client.factory';

describe('gcpAuthClient', () => {
  it('builds a read-only JWT client from a service-account key', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const client = gcpAuthClient({
      type: 'service_account',
      client_email: 'inventory@rf-prod-shop.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      private_key_id: 'k1',
    });
    expect(client).toBeInstanceOf(JWT);
    expect((client as JWT).scopes).toEqual(['https://www.googleapis.com/auth/compute.readonly']);
  });

  it('builds a Workload Identity Federation client from its configuration', () => {
    const client = gcpAuthClient({
      type: 'external_account',
      audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k8s',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: 'https://sts.googleapis.com/v1/token',
      credential_source: { file: '/var/run/secrets/tokens/gcp-ksa/token' },
    });
    expect(client.constructor.name).toBe('IdentityPoolClient');
  });

  it('refuses a federation configuration that would send tokens elsewhere', () => {
    expect(() =>
      gcpAuthClient({
        type: 'external_account',
        audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k8s',
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: 'https://sts.example.com/v1/token',
        credential_source: { file: '/var/run/secrets/tokens/gcp-ksa/token' },
      }),
    ).toThrow(/Google token URLs/);
  });

  it('refuses any other credential type', () => {
    expect(() => gcpAuthClient({ type: 'authorized_user', refresh_token: 'x' })).toThrow(
      expect.objectContaining({ code: 'INVENTORY.CONNECTOR_AUTH_FAILED' }) as Error,
    );
    expect(() => gcpAuthClient({ type: 'service_account' })).toThrow(/service-account key/);
  });
});
