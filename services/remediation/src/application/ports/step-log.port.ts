/**
 * Makes a workflow step's external effect happen once: the first run stores its result with the
 * effect, in the same transaction; any retry gets the stored result back and does nothing.
 */
export interface StepLog {
  once<T>(workflowId: string, step: string, planId: string, work: () => Promise<T>): Promise<T>;
}
