import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_PATHS, WORKSPACE_ROOT } from './contract-paths.constants';
import { loadContracts } from './event-contracts.loader';

describe('contracts/asyncapi.yaml', () => {
  it('is a valid AsyncAPI 3 document with a channel per topic and a message per event type', async () => {
    const contracts = loadContracts(WORKSPACE_ROOT);
    const source = readFileSync(join(WORKSPACE_ROOT, CONTRACT_PATHS.asyncapi), 'utf8');

    const { document, diagnostics } = await new Parser().parse(source);

    // Spectral severities: 0 error, 1 warning; information and hints (e.g. "3.1.0 exists") pass.
    const problems = diagnostics
      .filter((d) => [0, 1].includes(d.severity))
      .map((d) => `${d.path.join('/')}: ${d.message}`);
    expect(problems).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    expect(
      document
        ?.channels()
        .all()
        .map((c) => c.address())
        .sort(),
    ).toEqual(contracts.topics.topics.map((t) => t.name).sort());
    expect(
      document
        ?.messages()
        .all()
        .map((m) => m.name())
        .sort(),
    ).toEqual(contracts.events.map((e) => e.type).sort());
  }, 30_000);
});
