import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTRACT_PATHS, WORKSPACE_ROOT } from './contract-paths.constants';
import { findDrift, hasDrift, writeContractArtifacts } from './contracts-generator';

// json-schema-to-typescript loads Prettier, whose CJS entry starts an ESM import that Jest cannot
// run without --experimental-vm-modules. The generator never formats with it (format: false).
jest.mock('prettier', () => ({
  format: () => {
    throw new Error('the contracts generator must not format with Prettier');
  },
}));

describe('contracts generator', () => {
  it('--check finds no drift between contracts/events and the committed artefacts', async () => {
    const report = await findDrift(WORKSPACE_ROOT);

    expect(report).toEqual({ changed: [], missing: [], stale: [] });
  });

  describe('on a copy of the workspace', () => {
    let root: string;

    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'rf-contracts-'));
      for (const path of ['contracts', CONTRACT_PATHS.generatedDir]) {
        cpSync(join(WORKSPACE_ROOT, path), join(root, path), { recursive: true });
      }
    });

    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('reports changed, missing and stale files, and regenerating clears them', async () => {
      const schemaPath = join(root, CONTRACT_PATHS.eventsDir, 'drift.snapshot.v1.schema.json');
      writeFileSync(
        schemaPath,
        readFileSync(schemaPath, 'utf8').replace('Periodic fleet coverage', 'Hourly fleet coverage'),
      );
      rmSync(join(root, CONTRACT_PATHS.generatedDir, 'event-validators.ts'));
      writeFileSync(join(root, CONTRACT_PATHS.generatedDir, 'leftover.ts'), 'export {};\n');

      const report = await findDrift(root);

      expect(report.changed).toEqual([
        CONTRACT_PATHS.asyncapi,
        `${CONTRACT_PATHS.generatedDir}/event-data.types.ts`,
        `${CONTRACT_PATHS.generatedDir}/event-schemas.ts`,
        `${CONTRACT_PATHS.generatedDir}/event-validators.standalone.ts`,
      ]);
      expect(report.missing).toEqual([`${CONTRACT_PATHS.generatedDir}/event-validators.ts`]);
      expect(report.stale).toEqual([`${CONTRACT_PATHS.generatedDir}/leftover.ts`]);

      await writeContractArtifacts(root);

      expect(hasDrift(await findDrift(root))).toBe(false);
    });

    it('refuses contracts that break the conventions, listing every problem', async () => {
      const schemaPath = join(root, CONTRACT_PATHS.eventsDir, 'scan.completed.v1.schema.json');
      writeFileSync(
        schemaPath,
        readFileSync(schemaPath, 'utf8').replace(
          '"additionalProperties": false',
          '"additionalProperties": true',
        ),
      );

      await expect(findDrift(root)).rejects.toThrow(
        /scan\.completed\.v1\.schema\.json: \/additionalProperties/,
      );
    });
  });
});
