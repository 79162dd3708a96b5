/** The remediation worker's workflows, bundled from this file. */
export { canaryRolloutWorkflow } from './canary-rollout.workflow';
export { rollbackWorkflow } from './rollback.workflow';
