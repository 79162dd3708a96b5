import { Logger } from '@nestjs/common';
import { LedgerError } from '@rf/platform-ledger-proof';
import { waitFor } from '@rf/platform-testing';
import type {
  PublishCheckpointHandler,
  PublishCheckpointResult,
} from '../../application/commands/publish-checkpoint/publish-checkpoint.handler';
import { CheckpointScheduler } from './checkpoint.scheduler';

const checkpoint = (treeSize: number) => ({
  treeSize,
  rootHash: Buffer.alloc(32, treeSize),
  note: `n${treeSize}\n`,
  signedAt: new Date('2025-11-22T12:00:00Z'),
});

function publisher(execute: () => Promise<PublishCheckpointResult>): PublishCheckpointHandler {
  return { execute: jest.fn(execute) } as unknown as PublishCheckpointHandler;
}

describe('CheckpointScheduler', () => {
  let errors: jest.SpyInstance;

  beforeEach(() => {
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('publishes every interval until shutdown, and waits for the round in progress', async () => {
    let size = 0;
    let release: (() => void) | undefined;
    const publish = publisher(async () => {
      size += 1;
      if (size === 3) await new Promise<void>((resolve) => (release = resolve));
      return { published: true, checkpoint: checkpoint(size) };
    });
    const scheduler = new CheckpointScheduler(publish, 10);
    scheduler.onApplicationBootstrap();
    await waitFor(() => Promise.resolve(release), { timeoutMs: 5_000, description: 'the third round' });

    let stopped = false;
    const stopping = scheduler.beforeApplicationShutdown().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    release?.();
    await stopping;
    expect(publish.execute).toHaveBeenCalledTimes(3);
  });

  it('survives failures, logging a persisting one once and a new one again', async () => {
    const outcomes: (() => Promise<PublishCheckpointResult>)[] = [
      () => Promise.reject(new LedgerError('LEDGER.INCONSISTENT_WITH_PREVIOUS_CHECKPOINT', 'rewound')),
      () => Promise.reject(new LedgerError('LEDGER.INCONSISTENT_WITH_PREVIOUS_CHECKPOINT', 'rewound')),
      () => Promise.reject(new Error('connection reset')),
      () => Promise.resolve({ published: true, checkpoint: checkpoint(4) }),
    ];
    const publish = publisher(() => (outcomes.shift() ?? (() => Promise.reject(new Error('no more'))))());
    const scheduler = new CheckpointScheduler(publish, 10);

    expect(await scheduler.publishOnce()).toBeUndefined();
    expect(await scheduler.publishOnce()).toBeUndefined();
    expect(await scheduler.publishOnce()).toBeUndefined();
    expect((await scheduler.publishOnce())?.checkpoint?.treeSize).toBe(4);
    expect(errors.mock.calls.map(([context]: [{ code: string; failedRounds: number }]) => context)).toEqual([
      expect.objectContaining({ code: 'LEDGER.INCONSISTENT_WITH_PREVIOUS_CHECKPOINT', failedRounds: 1 }),
      expect.objectContaining({ code: 'PLATFORM.UNEXPECTED', failedRounds: 3 }),
    ]);
  });

  it('stops at once when shut down between rounds', async () => {
    const publish = publisher(() => Promise.resolve({ published: false, checkpoint: undefined }));
    const scheduler = new CheckpointScheduler(publish, 60_000);
    scheduler.onApplicationBootstrap();
    await waitFor(() => Promise.resolve((publish.execute as jest.Mock).mock.calls.length > 0 || undefined));
    const started = Date.now();
    await scheduler.beforeApplicationShutdown();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(publish.execute).toHaveBeenCalledTimes(1);
  });
});
