import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { defineConnectorKind } from '../../../application/connectors/connector-kind.definition';
import { FileConnector } from './file.connector';

export const FileConnectorSettings = z.strictObject({
  path: z.string().min(2).max(4096).refine(isAbsolute, 'must be an absolute path'),
  format: z.enum(['json', 'jsonl', 'csv']).optional(),
  pageSize: z.number().int().min(1).max(10_000).optional(),
  maxBytes: z
    .number()
    .int()
    .min(1)
    .max(1024 * 1024 * 1024)
    .optional(),
});

/** Offline import of a JSON, JSON Lines or CSV asset export readable by the inventory process. */
export const FILE_CONNECTOR_KIND = defineConnectorKind({
  kind: 'file',
  description: 'Import of a JSON, JSON Lines or CSV asset file, validated with line-numbered errors',
  settings: FileConnectorSettings,
  requiredCredentials: [],
  optionalCredentials: [],
  create: ({ id, settings }) =>
    new FileConnector({
      id,
      path: settings.path,
      ...(settings.format === undefined ? {} : { format: settings.format }),
      ...(settings.pageSize === undefined ? {} : { pageSize: settings.pageSize }),
      ...(settings.maxBytes === undefined ? {} : { maxBytes: settings.maxBytes }),
    }),
});
