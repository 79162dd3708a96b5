package rf.authz_test

import data.rf.authz

viewer_org := {"grants": [{"role": "viewer", "org": "acme"}]}

engineer_prod := {"grants": [{"role": "engineer", "org": "acme", "project": "payments", "env": "prod"}]}

prod := {"org": "acme", "project": "payments", "env": "prod"}

test_viewer_reads_anywhere_in_org if {
	authz.allow with input as {"principal": viewer_org, "action": "drift.read", "resource": prod}
}

test_viewer_cannot_start_remediation if {
	not authz.allow with input as {"principal": viewer_org, "action": "remediation.start", "resource": prod}
}

test_engineer_starts_remediation_in_scope if {
	authz.allow with input as {"principal": engineer_prod, "action": "remediation.start", "resource": prod}
}

test_engineer_denied_in_another_environment if {
	not authz.allow with input as {
		"principal": engineer_prod,
		"action": "remediation.start",
		"resource": object.union(prod, {"env": "staging"}),
	}
}

test_foreign_organisation_denied if {
	not authz.allow with input as {
		"principal": engineer_prod,
		"action": "drift.read",
		"resource": object.union(prod, {"org": "globex"}),
	}
}

test_unknown_action_denied_with_reason if {
	d := authz.decision with input as {"principal": viewer_org, "action": "fleet.delete", "resource": prod}
	not d.allow
	"unknown action" in d.reasons
}

test_admin_manages_api_keys if {
	authz.allow with input as {
		"principal": {"grants": [{"role": "admin", "org": "acme"}]},
		"action": "apikey.manage",
		"resource": prod,
	}
}

test_missing_grants_denied if {
	not authz.allow with input as {"principal": {}, "action": "drift.read", "resource": prod}
}
