package rf.lib.exceptions_test

import data.rf.lib.exceptions
import data.rf.lib.outcome

now := "2025-11-22T09:00:00Z"

live := {"ticket": "EXC-2", "expiresAt": "2025-11-22T09:00:01Z"}

denied := {"denied"}

test_live_exception_applies if {
	exceptions.select("rf.restore", denied) == live with input as {"now": now, "exceptions": [live]}
}

test_nothing_to_waive_selects_nothing if {
	exceptions.select("rf.restore", set()) == null with input as {"now": now, "exceptions": [live]}
}

test_expired_exception_does_not_apply if {
	expired := {"ticket": "EXC-1", "expiresAt": "2025-11-22T09:00:00Z"}
	exceptions.select("rf.restore", denied) == null with input as {"now": now, "exceptions": [expired]}
}

test_unreadable_exceptions_do_not_apply if {
	bad := [
		{"ticket": "EXC-3", "expiresAt": "tomorrow"},
		{"ticket": "", "expiresAt": "2026-01-01T00:00:00Z"},
		{"expiresAt": "2026-01-01T00:00:00Z"},
		{"ticket": "EXC-4"},
	]
	exceptions.select("rf.restore", denied) == null with input as {"now": now, "exceptions": bad}
	exceptions.select("rf.restore", denied) == null with input as {"now": "now", "exceptions": [live]}
	exceptions.select("rf.restore", denied) == null with input as {"now": now}
}

test_first_ticket_is_reported if {
	other := {"ticket": "EXC-10", "expiresAt": "2026-01-01T00:00:00Z"}
	exceptions.select("rf.restore", denied) == other with input as {"now": now, "exceptions": [live, other]}
}

test_scoped_exception if {
	scoped := object.union(live, {"policy": "rf.remediation", "action": "remediation.start"})
	exceptions.select("rf.remediation", denied) == live with input as {"now": now, "action": "remediation.start", "exceptions": [scoped]}
	exceptions.select("rf.restore", denied) == null with input as {"now": now, "action": "remediation.start", "exceptions": [scoped]}
	exceptions.select("rf.remediation", denied) == null with input as {"now": now, "action": "remediation.plan", "exceptions": [scoped]}
	exceptions.select("rf.remediation", denied) == null with input as {"now": now, "exceptions": [scoped]}
}

test_outcome_without_exception if {
	outcome.decide({"b", "a"}, {"c"}, {"d"}, null) == {"allow": false, "result": "deny", "reasons": ["a", "b"]}
	outcome.decide(set(), {"c"}, {"d"}, null) == {"allow": false, "result": "needs_approval", "reasons": ["c"]}
	outcome.decide(set(), set(), {"d"}, null) == {"allow": true, "result": "allow", "reasons": ["d"]}
}

test_outcome_exception_waives_denials_not_approvals if {
	d := outcome.decide({"frozen"}, {"risky"}, set(), live)
	d == {"allow": false, "result": "needs_approval", "reasons": ["waived by exception EXC-2: frozen", "risky"], "exception": live}
	outcome.decide({"frozen"}, set(), {"note"}, live).reasons == ["waived by exception EXC-2: frozen", "note"]
}
