# The decision every rf policy returns:
#   {"allow": bool, "result": "allow" | "needs_approval" | "deny", "reasons": [string], "exception"?: {...}}
# `reasons` explains the result: the denials, the approvals still needed, or notes on an allow.
package rf.lib.outcome

# denials, approvals and notes are sets of strings; exception is the applicable exception
# (exceptions.select) or null. An exception waives denials, never approvals.
decide(denials, approvals, notes, exception) := denied(denials) if {
	count(denials) > 0
	exception == null
} else := d if {
	count(denials) > 0
	waived := [concat("", ["waived by exception ", exception.ticket, ": ", r]) | some r in sort(denials)]
	rest := _without_denials(approvals, notes)
	d := object.union(rest, {"reasons": array.concat(waived, rest.reasons), "exception": exception})
} else := _without_denials(approvals, notes)

_without_denials(approvals, notes) := {"allow": false, "result": "needs_approval", "reasons": sort(approvals)} if {
	count(approvals) > 0
} else := {"allow": true, "result": "allow", "reasons": sort(notes)}

# The decision for denials no exception waives. Policies with costly approvals or notes call it
# first, so those are worked out only when they can matter.
denied(denials) := {"allow": false, "result": "deny", "reasons": sort(denials)}
