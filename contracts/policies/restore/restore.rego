# Restore guard: may this principal restore this backup into this target, now?
# Needs an engineer (or admin) in the target's scope, a completed and verified backup of the same
# organisation, project and environment, and no change freeze, unless break-glass names a ticket.
#
# input: {"now", "action"?, "principal": {"id", "grants"},
#         "backup": {"id", "status", "verified", "org", "project", "env"},
#         "target": {"org", "project", "env"},
#         "environment"?: {"freezes"?: [{"name", "start", "end"}]},
#         "breakGlass"?: {"ticket", "reason"?},
#         "exceptions"?}
package rf.restore

import data.rf.authz
import data.rf.lib.exceptions
import data.rf.lib.now
import data.rf.lib.outcome
import data.rf.lib.schedule

# Arguments of a negated call must be defined, or the whole rule is: hence the defaults.
principal := object.get(input, "principal", {})

backup := object.get(input, "backup", {})

target := object.get(input, "target", {})

scope_keys := ["org", "project", "env"]

break_glass := input.breakGlass.ticket if {
	is_string(input.breakGlass.ticket)
	input.breakGlass.ticket != ""
}

freezes := schedule.freeze_reasons(object.get(input, ["environment", "freezes"], []), now.millis)

denials contains "now must be an RFC 3339 timestamp" if not now.valid

denials contains "environment freezes must be a list" if not is_array(object.get(input, ["environment", "freezes"], []))

denials contains "restoring needs the engineer role in the target's scope" if {
	not authz.role_at_least(principal, target, "engineer")
}

denials contains "backup is not completed" if backup.status != "completed"

denials contains "backup is not completed" if not backup.status

denials contains "backup has not been verified" if not backup.verified == true

denials contains concat("", ["target ", key, " does not match the backup's"]) if {
	some key in scope_keys
	not _same(key)
}

denials contains freeze if {
	not break_glass
	some freeze in freezes
}

notes contains concat("", ["break-glass ", break_glass, ": ", freeze]) if {
	some freeze in freezes
}

_same(key) if {
	is_string(target[key])
	target[key] == backup[key]
}

# Looked up once per evaluation, and only when there is something to waive.
exception := exceptions.select("rf.restore", denials)

decision := outcome.decide(denials, set(), notes, exception)
