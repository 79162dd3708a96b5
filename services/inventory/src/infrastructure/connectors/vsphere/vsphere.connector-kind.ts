import { defineConnectorKind } from '../../../application/connectors/connector-kind.definition';
import { vsphereConnectorSettingsSchema } from './vsphere-connector.settings';
import { VsphereConnector } from './vsphere.connector';

/**
 * VMs and Content Library templates of one or more vCenters. Each vCenter names its service account
 * (`username`) and the credential holding its password (`passwordCredential`, `password` by default).
 */
export const VSPHERE_CONNECTOR_KIND = defineConnectorKind({
  kind: 'vsphere',
  description: 'vSphere VMs with their Content Library templates, across several vCenters',
  settings: vsphereConnectorSettingsSchema,
  requiredCredentials: [],
  optionalCredentials: [],
  credentialsFor: (settings) => ({
    required: [...new Set(settings.vcenters.map((vcenter) => vcenter.passwordCredential))],
  }),
  create: ({ id, settings, credentials }) =>
    new VsphereConnector({
      id,
      settings,
      credentials: (vcenter) =>
        Promise.resolve({
          username: vcenter.username,
          password: credentials.reveal(vcenter.passwordCredential),
        }),
    }),
});
