# Exceptions waive denies. An exception is {"ticket", "expiresAt"} with an optional "policy"
# (e.g. "rf.remediation") and "action" narrowing what it covers. It applies while expiresAt is
# later than input.now; an expired or unreadable one never applies.
package rf.lib.exceptions

import data.rf.lib.now
import data.rf.lib.time

applicable(policy) := {[e.ticket, e.expiresAt] |
	some e in input.exceptions
	is_string(e.ticket)
	e.ticket != ""
	_covers(e, "policy", policy)
	_covers(e, "action", object.get(input, "action", null))
	now.millis < time.epoch(e.expiresAt) * 1000
}

# The exception a decision reports when it has denials to waive, else null: the first applicable
# one by ticket, so repeated evaluations name the same ticket. Policies call it once, as a rule.
select(policy, denials) := {"ticket": chosen[0], "expiresAt": chosen[1]} if {
	count(denials) > 0
	candidates := sort(applicable(policy))
	count(candidates) > 0
	chosen := candidates[0]
} else := null

_covers(e, key, _) if not e[key]

_covers(e, key, value) if e[key] == value
