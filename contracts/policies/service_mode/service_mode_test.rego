package rf.service_mode_test

import data.rf.service_mode

now := "2025-11-22T09:00:00Z"

evidence := {
	"scan": {"status": "clean", "completedAt": "2025-11-21T09:00:00Z"},
	"sbom": {"valid": true},
	"loadTest": {"status": "passed", "completedAt": "2025-11-01T09:00:00Z"},
}

transition(from, to, extra) := d if {
	d := service_mode.decision with input as object.union(
		{"now": now, "service": {"name": "payments-api", "mode": from}, "targetMode": to},
		extra,
	)
}

test_leaving_maintenance_with_evidence if {
	transition("maintenance", "normal", {"evidence": evidence}) == {"allow": true, "result": "allow", "reasons": []}
}

test_degrading_needs_no_evidence if {
	transition("normal", "degraded", {}).allow
	transition("normal", "maintenance", {}).allow
}

test_freezing_a_serving_service_needs_no_evidence if {
	transition("normal", "frozen", {}).allow
	transition("frozen", "normal", {}).allow
}

test_entering_production_needs_evidence if {
	d := transition("degraded", "normal", {})
	d.result == "deny"
	d.reasons == [
		"entering normal needs a clean security scan",
		"entering normal needs a passing load test",
		"entering normal needs a valid SBOM",
	]
}

test_scan_with_findings_blocks if {
	e := object.union(evidence, {"scan": {"status": "findings"}})
	transition("maintenance", "frozen", {"evidence": e}).reasons == ["entering frozen needs a clean security scan"]
}

test_stale_evidence_blocks if {
	e := object.union(evidence, {
		"scan": {"completedAt": "2025-11-14T08:59:59Z"},
		"loadTest": {"completedAt": "2025-10-23T08:59:59Z"},
	})
	transition("maintenance", "normal", {"evidence": e}).reasons == [
		"entering normal needs a load test from the last 30 days",
		"entering normal needs a security scan from the last 7 days",
	]
}

test_evidence_from_the_future_is_not_fresh if {
	e := object.union(evidence, {"scan": {"completedAt": "2025-11-23T00:00:00Z"}})
	transition("maintenance", "normal", {"evidence": e}).reasons == ["entering normal needs a security scan from the last 7 days"]
}

test_failed_load_test_and_invalid_sbom_block if {
	e := object.union(evidence, {"sbom": {"valid": false}, "loadTest": {"status": "failed"}})
	transition("maintenance", "normal", {"evidence": e}).reasons == [
		"entering normal needs a passing load test",
		"entering normal needs a valid SBOM",
	]
}

test_running_operations_block_every_transition if {
	ops := [{"kind": "backup", "id": "bk-7"}, {"kind": "load_test", "id": "lt-2"}, {"kind": "scan"}, {"kind": "report", "id": "r-1"}]
	d := transition("normal", "degraded", {"activeOperations": ops})
	d.reasons == [
		"transition blocked: a backup is running (bk-7)",
		"transition blocked: a load test is running (lt-2)",
		"transition blocked: a security scan is running (missing)",
	]
}

test_transition_graph if {
	transition("maintenance", "degraded", {}).reasons == ["no transition from maintenance to degraded"]
	transition("frozen", "degraded", {}).reasons == ["no transition from frozen to degraded"]
	transition("normal", "normal", {}).reasons == ["service is already in mode normal"]
}

test_graph_only_names_known_modes if {
	every from, targets in service_mode.transitions {
		from in service_mode.modes
		every to in targets {
			to in service_mode.modes
		}
	}
}

test_unknown_modes if {
	transition("normal", "paused", {}).reasons == ["unknown target mode 'paused'"]
	d := service_mode.decision with input as {"now": now, "targetMode": "normal", "evidence": evidence}
	d.reasons == ["unknown current mode 'missing'"]
}

test_unreadable_now if {
	d := service_mode.decision with input as {"service": {"mode": "normal"}, "targetMode": "degraded"}
	d.reasons == ["now must be an RFC 3339 timestamp"]
}

test_exception_waives_a_blocked_transition if {
	d := transition("normal", "degraded", {
		"activeOperations": [{"kind": "scan", "id": "sc-1"}],
		"exceptions": [{"ticket": "INC-55", "expiresAt": "2025-11-22T10:00:00Z"}],
	})
	d.allow
	d.exception == {"ticket": "INC-55", "expiresAt": "2025-11-22T10:00:00Z"}
}

test_unreadable_operations_block if {
	transition("normal", "degraded", {"activeOperations": "backup"}).reasons == ["activeOperations must be a list"]
}
