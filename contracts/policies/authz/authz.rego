# Role-based authorisation: may this principal perform this action on this resource?
# Roles are granted per scope (organisation, optionally narrowed to a project and an environment);
# a grant applies to every resource inside its scope. Anything not allowed is denied.
package rf.authz

default allow := false

# Each role includes every permission of the roles before it.
role_rank := {"viewer": 1, "operator": 2, "engineer": 3, "admin": 4}

# The least role an action needs; actions absent here are denied to everyone.
action_min_role := {
	"fleet.read": "viewer",
	"drift.read": "viewer",
	"compliance.read": "viewer",
	"ledger.read": "viewer",
	"scan.run": "operator",
	"remediation.approve": "operator",
	"remediation.start": "engineer",
	"image.promote": "engineer",
	"image.revoke": "engineer",
	"restore.start": "engineer",
	"policy.exception.create": "admin",
	"apikey.manage": "admin",
}

allow if count(reasons) == 0

reasons contains "unknown action" if not action_min_role[input.action]

reasons contains "no role grants this action in the resource's scope" if {
	action_min_role[input.action]
	not granted
}

granted if {
	some grant in input.principal.grants
	in_scope(grant, input.resource)
	role_rank[grant.role] >= role_rank[action_min_role[input.action]]
}

in_scope(grant, resource) if {
	grant.org == resource.org
	scope_matches(grant, resource, "project")
	scope_matches(grant, resource, "env")
}

# A grant without a narrower scope covers all of its parent scope.
scope_matches(grant, _, key) if not grant[key]

scope_matches(grant, resource, key) if grant[key] == resource[key]

decision := {"allow": allow, "reasons": reasons}
