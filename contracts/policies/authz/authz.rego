# Role-based authorisation: may this principal perform this action on this resource?
# Roles are granted per scope (organisation, optionally narrowed to a project and an environment);
# a grant applies to every resource inside its scope. Anything not allowed is denied.
#
# input: {"principal": {"id", "grants": [{"role", "org", "project"?, "env"?, "expiresAt"?}]},
#         "action", "resource": {"kind", "id", "org", "project"?, "env"?, "requestedBy"?},
#         "now", "exceptions"?}
package rf.authz

import data.rf.lib.exceptions
import data.rf.lib.now
import data.rf.lib.outcome
import data.rf.lib.time

# Each role includes every permission of the roles before it.
role_rank := {"viewer": 1, "operator": 2, "engineer": 3, "admin": 4}

# The least role an action needs; actions absent here are denied to everyone.
action_min_role := {
	# Reading: fleet, drift, images, compliance, plans, ledger, recovery, policy, modes.
	"fleet.read": "viewer",
	"asset.read": "viewer",
	"drift.read": "viewer",
	"image.read": "viewer",
	"compliance.read": "viewer",
	"remediation.read": "viewer",
	"ledger.read": "viewer",
	"backup.read": "viewer",
	"restore.read": "viewer",
	"drill.read": "viewer",
	"optimisation.read": "viewer",
	"policy.read": "viewer",
	"service.mode.read": "viewer",
	# Running routine, reversible operations.
	"scan.run": "operator",
	"compliance.score": "operator",
	"remediation.approve": "operator",
	"remediation.pause": "operator",
	"remediation.resume": "operator",
	"backup.run": "operator",
	"drill.run": "operator",
	"ledger.export": "operator",
	# Changing the fleet, the image registry or a service's mode.
	"connector.manage": "engineer",
	"image.publish": "engineer",
	"image.promote": "engineer",
	"image.revoke": "engineer",
	"remediation.plan": "engineer",
	"remediation.start": "engineer",
	"remediation.cancel": "engineer",
	"remediation.rollback": "engineer",
	"restore.start": "engineer",
	"backup.policy.manage": "engineer",
	"optimisation.run": "engineer",
	"service.mode.change": "engineer",
	# Governing the platform itself.
	"policy.exception.create": "admin",
	"policy.exception.revoke": "admin",
	"policy.bundle.publish": "admin",
	"environment.configure": "admin",
	"autonomy.configure": "admin",
	"grant.manage": "admin",
	"apikey.manage": "admin",
}

# Actions where whoever requested the change may not also approve it.
four_eyes_actions := {"remediation.approve"}

# Arguments of a negated call must be defined, or the whole rule is: hence the defaults.
principal := object.get(input, "principal", {})

resource := object.get(input, "resource", {})

denials contains "unknown action" if not action_min_role[input.action]

denials contains "resource has no organisation" if not _has_org

denials contains concat("", ["no role grants ", input.action, " in the resource's scope (needs ", action_min_role[input.action], ")"]) if {
	_has_org
	not role_at_least(principal, resource, action_min_role[input.action])
}

denials contains "four-eyes: the requester of a change may not approve it" if {
	input.action in four_eyes_actions
	is_string(principal.id)
	principal.id == resource.requestedBy
}

_has_org if {
	is_string(resource.org)
	resource.org != ""
}

# True when one of principal's live grants covers resource with at least role.
role_at_least(principal, resource, role) if {
	some grant in principal.grants
	in_scope(grant, resource)
	role_rank[grant.role] >= role_rank[role]

	# Last: it may parse timestamps.
	_live(grant)
}

in_scope(grant, resource) if {
	is_string(grant.org)
	grant.org == resource.org
	_scope_matches(grant, resource, "project")
	_scope_matches(grant, resource, "env")
}

# A grant without a narrower scope covers all of its parent scope.
_scope_matches(grant, _, key) if not grant[key]

_scope_matches(grant, resource, key) if grant[key] == resource[key]

# Grants without expiresAt are permanent; a time-boxed grant needs a readable now before its expiry.
_live(grant) if object.get(grant, "expiresAt", null) == null

_live(grant) if {
	grant.expiresAt
	now.seconds < time.epoch(grant.expiresAt)
}

# Looked up once per evaluation, and only when there is something to waive.
exception := exceptions.select("rf.authz", denials)

decision := outcome.decide(denials, set(), set(), exception)
