package rf.restore_test

import data.rf.restore

scope := {"org": "acme", "project": "payments", "env": "prod"}

engineer := {"id": "u-eng", "grants": [{"role": "engineer", "org": "acme", "project": "payments"}]}

backup := object.union(scope, {"id": "bk-1", "status": "completed", "verified": true})

freeze := {"name": "year-end", "start": "2025-12-20T00:00:00Z", "end": "2026-01-05T00:00:00Z"}

base := {
	"now": "2025-11-22T09:00:00Z",
	"principal": engineer,
	"backup": backup,
	"target": scope,
	"environment": {"freezes": [freeze]},
}

decide(patch) := d if {
	d := restore.decision with input as object.union(base, patch)
}

test_engineer_restores_a_verified_backup if {
	decide({}) == {"allow": true, "result": "allow", "reasons": []}
}

test_operator_cannot_restore if {
	d := decide({"principal": {"grants": [{"role": "operator", "org": "acme"}]}})
	d.reasons == ["restoring needs the engineer role in the target's scope"]
}

test_missing_principal_cannot_restore if {
	d := restore.decision with input as object.remove(base, ["principal"])
	d.reasons == ["restoring needs the engineer role in the target's scope"]
}

test_backup_must_be_verified_and_completed if {
	d := decide({"backup": {"verified": false, "status": "running"}})
	d.reasons == ["backup has not been verified", "backup is not completed"]
	e := restore.decision with input as object.union(object.remove(base, ["backup"]), {"backup": scope})
	e.reasons == ["backup has not been verified", "backup is not completed"]
}

test_target_environment_must_match if {
	d := decide({"target": {"env": "staging"}, "principal": {"grants": [{"role": "admin", "org": "acme"}]}})
	d.reasons == ["target env does not match the backup's"]
}

test_missing_target_is_denied if {
	d := restore.decision with input as object.remove(base, ["target"])
	"target org does not match the backup's" in d.reasons
	"restoring needs the engineer role in the target's scope" in d.reasons
}

test_freeze_blocks_a_restore if {
	d := decide({"now": "2025-12-24T03:00:00Z"})
	d.reasons == ["change freeze 'year-end' is in effect until 2026-01-05T00:00:00Z"]
}

test_break_glass_overrides_a_freeze if {
	d := decide({"now": "2025-12-24T03:00:00Z", "breakGlass": {"ticket": "INC-4711", "reason": "ransomware"}})
	d.allow
	d.reasons == ["break-glass INC-4711: change freeze 'year-end' is in effect until 2026-01-05T00:00:00Z"]
}

test_break_glass_needs_a_ticket if {
	d := decide({"now": "2025-12-24T03:00:00Z", "breakGlass": {"ticket": ""}})
	not d.allow
}

test_break_glass_does_not_lift_other_denials if {
	d := decide({"now": "2025-12-24T03:00:00Z", "breakGlass": {"ticket": "INC-4711"}, "backup": {"verified": false}})
	d.reasons == ["backup has not been verified"]
}

test_unreadable_now_is_denied if {
	d := restore.decision with input as object.remove(base, ["now"])
	d.reasons == ["now must be an RFC 3339 timestamp"]
}

test_exception_waives_an_unverified_backup if {
	d := decide({
		"backup": {"verified": false},
		"exceptions": [{"ticket": "EXC-77", "expiresAt": "2025-11-23T00:00:00Z", "policy": "rf.restore"}],
	})
	d.allow
	d.exception.ticket == "EXC-77"
	d.reasons == ["waived by exception EXC-77: backup has not been verified"]
}

test_unreadable_freezes_are_denied if {
	d := decide({"environment": {"freezes": {"name": "year-end"}}})
	"environment freezes must be a list" in d.reasons
	not d.allow
}
