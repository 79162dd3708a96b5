/** DI tokens of the compliance service's ports and settings. */
export const CLOCK = Symbol('compliance.Clock');
export const COMPLIANCE_STORE = Symbol('compliance.ComplianceStore');
/** `ComplianceThresholds`. */
export const COMPLIANCE_THRESHOLDS = Symbol('compliance.Thresholds');
/** `string`: the organisation id the organisation-wide score is published under. */
export const ORGANISATION_ID = Symbol('compliance.OrganisationId');
