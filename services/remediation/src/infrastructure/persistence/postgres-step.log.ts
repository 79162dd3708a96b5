import type { EntityManager } from 'typeorm';
import type { StepLog } from '../../application/ports/step-log.port';

/**
 * Claims `(workflow id, step)` inside the caller's transaction before the work runs: a concurrent
 * retry blocks on the row, and a later one reads the stored result instead of acting again.
 */
export class PostgresStepLog implements StepLog {
  constructor(private readonly manager: EntityManager) {}

  async once<T>(workflowId: string, step: string, planId: string, work: () => Promise<T>): Promise<T> {
    if (!this.manager.queryRunner?.isTransactionActive)
      throw new Error('PostgresStepLog needs a transaction');
    const claimed = await this.manager.query<{ step: string }[]>(
      `INSERT INTO remediation_steps (workflow_id, step, plan_id, result, done_at) VALUES ($1, $2, $3, 'null', now())
       ON CONFLICT (workflow_id, step) DO NOTHING RETURNING step`,
      [workflowId, step, planId],
    );
    if (claimed.length === 0) {
      const [row] = await this.manager.query<{ result: T }[]>(
        'SELECT result FROM remediation_steps WHERE workflow_id = $1 AND step = $2',
        [workflowId, step],
      );
      return row?.result as T;
    }
    const result = await work();
    await this.manager.query(
      'UPDATE remediation_steps SET result = $3 WHERE workflow_id = $1 AND step = $2',
      [workflowId, step, JSON.stringify(result ?? null)],
    );
    return result;
  }
}
