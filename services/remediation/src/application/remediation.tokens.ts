/** DI tokens of the remediation context's ports. */
export const CLOCK = Symbol('remediation.Clock');
export const RISK_ANALYSER = Symbol('remediation.RiskAnalyser');
export const REMEDIATION_GATE = Symbol('remediation.RemediationGate');
export const ROLLOUT_WORKFLOWS = Symbol('remediation.RolloutWorkflows');
export const REMEDIATION_EXECUTOR = Symbol('remediation.RemediationExecutor');
export const METRIC_PROVIDER = Symbol('remediation.MetricProvider');
export const REMEDIATION_SETTINGS = Symbol('remediation.Settings');
