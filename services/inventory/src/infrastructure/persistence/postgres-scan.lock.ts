import type { DataSource } from 'typeorm';
import type { ScanLease, ScanLock } from '../../application/ports/scan-lock.port';

// Two-key advisory locks live apart from the one-key locks (e.g. migrations) of the same database.
const SCAN_LOCK_CLASS = `hashtext('rf.inventory.scan')`;

/**
 * A session-level advisory lock per connector, held on a dedicated connection for the whole scan. If
 * the process dies, PostgreSQL drops the connection and the lock with it.
 */
export class PostgresScanLock implements ScanLock {
  constructor(private readonly dataSource: DataSource) {}

  async tryAcquire(connectorId: string): Promise<ScanLease | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [row] = (await runner.query(
        `SELECT pg_try_advisory_lock(${SCAN_LOCK_CLASS}, hashtext($1)) AS acquired`,
        [connectorId],
      )) as { acquired: boolean }[];
      if (row?.acquired !== true) {
        await runner.release();
        return undefined;
      }
    } catch (error: unknown) {
      await runner.release();
      throw error;
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        try {
          await runner.query(`SELECT pg_advisory_unlock(${SCAN_LOCK_CLASS}, hashtext($1))`, [connectorId]);
        } finally {
          await runner.release();
        }
      },
    };
  }
}
