package rf.authz_test

import data.rf.authz

now := "2025-11-22T09:00:00Z"

viewer_org := {"id": "u-viewer", "grants": [{"role": "viewer", "org": "acme"}]}

engineer_prod := {"id": "u-eng", "grants": [{"role": "engineer", "org": "acme", "project": "payments", "env": "prod"}]}

prod := {"kind": "plan", "id": "p-1", "org": "acme", "project": "payments", "env": "prod"}

request(principal, action, resource) := {"principal": principal, "action": action, "resource": resource, "now": now}

test_viewer_reads_anywhere_in_org if {
	authz.decision.allow with input as request(viewer_org, "drift.read", prod)
}

test_viewer_cannot_start_remediation if {
	d := authz.decision with input as request(viewer_org, "remediation.start", prod)
	not d.allow
	d.result == "deny"
	d.reasons == ["no role grants remediation.start in the resource's scope (needs engineer)"]
}

test_engineer_starts_remediation_in_scope if {
	d := authz.decision with input as request(engineer_prod, "remediation.start", prod)
	d == {"allow": true, "result": "allow", "reasons": []}
}

test_engineer_denied_in_another_environment if {
	not authz.decision.allow with input as request(engineer_prod, "remediation.start", object.union(prod, {"env": "staging"}))
}

test_project_grant_does_not_cover_organisation_resources if {
	not authz.decision.allow with input as request(engineer_prod, "drift.read", {"kind": "org", "id": "acme", "org": "acme"})
}

test_foreign_organisation_denied if {
	not authz.decision.allow with input as request(engineer_prod, "drift.read", object.union(prod, {"org": "globex"}))
}

test_unknown_action_denied_with_reason if {
	d := authz.decision with input as request(viewer_org, "fleet.delete", prod)
	not d.allow
	d.reasons == ["unknown action"]
}

test_admin_manages_api_keys if {
	authz.decision.allow with input as request({"grants": [{"role": "admin", "org": "acme"}]}, "apikey.manage", prod)
}

test_engineer_cannot_create_policy_exceptions if {
	not authz.decision.allow with input as request(engineer_prod, "policy.exception.create", prod)
}

test_missing_grants_denied if {
	not authz.decision.allow with input as request({}, "drift.read", prod)
}

test_missing_principal_denied if {
	not authz.decision.allow with input as {"action": "drift.read", "resource": prod, "now": now}
}

test_resource_without_organisation_denied if {
	d := authz.decision with input as request(viewer_org, "drift.read", {"kind": "asset", "id": "a-1"})
	"resource has no organisation" in d.reasons
}

test_unknown_role_grants_nothing if {
	not authz.decision.allow with input as request({"grants": [{"role": "owner", "org": "acme"}]}, "drift.read", prod)
}

test_every_action_needs_a_known_role if {
	every action, role in authz.action_min_role {
		authz.role_rank[role]
		regex.match(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`, action)
	}
}

test_roles_are_cumulative if {
	every action, role in authz.action_min_role {
		authz.decision.allow with input as request({"grants": [{"role": "admin", "org": "acme"}]}, action, prod)
		authz.decision.allow with input as request({"grants": [{"role": role, "org": "acme"}]}, action, prod)
	}
}

test_time_boxed_grant_live_before_expiry if {
	p := {"grants": [{"role": "operator", "org": "acme", "expiresAt": "2025-11-22T10:00:00Z"}]}
	authz.decision.allow with input as request(p, "scan.run", prod)
}

test_time_boxed_grant_lapses if {
	p := {"grants": [{"role": "operator", "org": "acme", "expiresAt": "2025-11-22T08:59:59Z"}]}
	not authz.decision.allow with input as request(p, "scan.run", prod)
}

test_time_boxed_grant_needs_readable_now if {
	p := {"grants": [{"role": "operator", "org": "acme", "expiresAt": "2025-11-22T10:00:00Z"}]}
	not authz.decision.allow with input as object.union(request(p, "scan.run", prod), {"now": "yesterday"})
}

test_requester_cannot_approve_own_plan if {
	p := {"id": "u-op", "grants": [{"role": "operator", "org": "acme"}]}
	d := authz.decision with input as request(p, "remediation.approve", object.union(prod, {"requestedBy": "u-op"}))
	d.reasons == ["four-eyes: the requester of a change may not approve it"]
}

test_another_operator_approves if {
	p := {"id": "u-op", "grants": [{"role": "operator", "org": "acme"}]}
	authz.decision.allow with input as request(p, "remediation.approve", object.union(prod, {"requestedBy": "u-eng"}))
}

test_exception_waives_a_denial if {
	exc := {"ticket": "EXC-7", "expiresAt": "2025-11-23T00:00:00Z", "policy": "rf.authz", "action": "remediation.start"}
	d := authz.decision with input as object.union(request(viewer_org, "remediation.start", prod), {"exceptions": [exc]})
	d.allow
	d.exception == {"ticket": "EXC-7", "expiresAt": "2025-11-23T00:00:00Z"}
	d.reasons == ["waived by exception EXC-7: no role grants remediation.start in the resource's scope (needs engineer)"]
}

test_exception_for_another_action_does_not_apply if {
	exc := {"ticket": "EXC-7", "expiresAt": "2025-11-23T00:00:00Z", "action": "image.promote"}
	not authz.decision.allow with input as object.union(request(viewer_org, "remediation.start", prod), {"exceptions": [exc]})
}
