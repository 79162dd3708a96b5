/** DI tokens of the compliance service's ports and settings. */
export const CLOCK = Symbol('compliance.Clock');
/** `ComplianceTenants`: each organisation's compliance store. */
export const COMPLIANCE_TENANTS = Symbol('compliance.ComplianceTenants');
/** `ComplianceThresholds`. */
export const COMPLIANCE_THRESHOLDS = Symbol('compliance.Thresholds');
