package rf.remediation_test

import data.rf.lib.time
import data.rf.remediation

ms(ts) := time.epoch(ts) * 1000

# An instant, with its local time in +01:00 as the caller computes it.
at(ts, weekday, minute) := {"now": ms(ts), "environment": object.union(base.environment, {"local": {"weekday": weekday, "minute": minute}})}

# Tuesday 2025-11-25 23:30 in +01:00, inside the overnight window, outside business hours.
base := {
	"now": ms("2025-11-25T22:30:00Z"),
	"action": "remediation.start",
	"autonomyLevel": 4,
	"plan": {"id": "p-1", "riskScore": 30},
	"wave": {"index": 0, "assets": 5},
	"fleet": {"size": 200},
	"environment": {
		"name": "prod",
		"local": {"weekday": "tue", "minute": 1410},
		"changeWindows": [{"days": ["mon", "tue", "wed", "thu"], "start": 1320, "end": 240}],
		"businessHours": {"days": ["mon", "tue", "wed", "thu", "fri"], "start": 540, "end": 1020},
		"freezes": [{"name": "black-friday", "start": ms("2025-11-27T00:00:00Z"), "end": ms("2025-12-02T00:00:00Z"), "until": "2025-12-02T00:00:00Z"}],
	},
}

with_env(patch) := object.union(base, {"environment": object.union(base.environment, patch)})

decide(patch) := d if {
	d := remediation.decision with input as object.union(base, patch)
}

test_low_risk_runs_autonomously if {
	d := decide({})
	d.allow
	d.result == "allow"
	d.reasons == ["risk 30 is within the auto-approval limit of 40 for autonomy level 3 (level 4, one lower outside business hours) in prod"]
}

test_business_hours_keep_the_full_level if {
	# Wednesday 10:00 local, with a window that covers it.
	wednesday := at("2025-11-26T09:00:00Z", "wed", 600)
	env := object.union(wednesday.environment, {"changeWindows": [{"days": ["wed"], "start": 0, "end": 0}]})
	d := remediation.decision with input as object.union(base, {"now": wednesday.now, "environment": env, "plan": {"riskScore": 55}})
	d.result == "allow"
	d.reasons == ["risk 55 is within the auto-approval limit of 60 for autonomy level 4 in prod"]
}

test_no_business_hours_declared_keeps_the_level if {
	env := object.remove(base.environment, ["businessHours"])
	d := remediation.decision with input as object.union(object.remove(base, ["environment"]), {"environment": env, "plan": {"riskScore": 55}})
	d.result == "allow"
}

test_risk_above_the_level_needs_approval if {
	d := decide({"plan": {"riskScore": 45}})
	d.result == "needs_approval"
	not d.allow
	d.reasons == ["risk 45 exceeds the auto-approval limit of 40 for autonomy level 3 (level 4, one lower outside business hours) in prod"]
}

test_level_zero_always_needs_approval if {
	d := decide({"autonomyLevel": 0, "plan": {"riskScore": 0}})
	d.result == "needs_approval"
	d.reasons == ["autonomy level 0 runs nothing without approval"]
}

test_level_one_drops_to_zero_out_of_hours if {
	d := decide({"autonomyLevel": 1, "plan": {"riskScore": 0}})
	d.result == "needs_approval"
	d.reasons == ["autonomy level 1 counts as 0 outside business hours: approval required"]
}

test_lower_environments_allow_more_risk if {
	dev := remediation.decision with input as object.union(with_env({"name": "dev"}), {"plan": {"riskScore": 60}})
	dev.result == "allow"
	staging := remediation.decision with input as object.union(with_env({"name": "staging"}), {"plan": {"riskScore": 55}})
	staging.result == "needs_approval"
}

test_unknown_environment_gets_prod_limits if {
	d := remediation.decision with input as object.union(with_env({"name": "sandbox"}), {"wave": {"assets": 26}, "fleet": {"size": 10000}})
	d.reasons == ["wave of 26 assets exceeds the prod limit of 25 per wave"]
}

test_critical_risk_is_denied_at_every_level if {
	d := decide({"autonomyLevel": 5, "plan": {"riskScore": 90}})
	d.result == "deny"
	d.reasons == ["risk 90 is critical (at least 90): split the plan into smaller waves"]
}

test_blast_radius_by_percent if {
	d := decide({"wave": {"assets": 21}})
	d.result == "deny"
	d.reasons == ["wave of 21 assets is more than 10% of a fleet of 200 in prod"]
}

test_blast_radius_at_the_limit_is_allowed if {
	d := decide({"wave": {"assets": 20}})
	d.result == "allow"
}

test_environment_can_tighten_the_blast_radius if {
	d := remediation.decision with input as with_env({"blastRadius": {"maxAssets": 3}})
	d.reasons == ["wave of 5 assets exceeds the prod limit of 3 per wave"]
}

test_environment_cannot_loosen_the_blast_radius if {
	d := remediation.decision with input as object.union(
		with_env({"blastRadius": {"maxAssets": 1000, "maxPercent": 100}}),
		{"wave": {"assets": 30}, "fleet": {"size": 1000}},
	)
	d.reasons == ["wave of 30 assets exceeds the prod limit of 25 per wave"]
}

test_wave_larger_than_fleet if {
	d := decide({"wave": {"assets": 5}, "fleet": {"size": 4}})
	"wave of 5 assets is larger than the fleet of 4" in d.reasons
}

test_outside_change_window_is_denied if {
	# Tuesday 15:00 local.
	d := decide(at("2025-11-25T14:00:00Z", "tue", 900))
	d.result == "deny"
	d.reasons == ["outside the change windows of prod"]
}

test_no_change_windows_means_any_time if {
	afternoon := at("2025-11-25T14:00:00Z", "tue", 900)
	d := remediation.decision with input as object.union(base, {"now": afternoon.now, "environment": object.union(afternoon.environment, {"changeWindows": []})})
	d.result == "allow"
}

# Thursday 2025-11-27 23:30 local: in the window, in the freeze.
thursday_night := at("2025-11-27T22:30:00Z", "thu", 1410)

test_freeze_denies if {
	# Thursday 2025-11-27 23:30 local: in the window, in the freeze.
	d := decide(thursday_night)
	d.result == "deny"
	d.reasons == ["change freeze 'black-friday' is in effect until 2025-12-02T00:00:00Z"]
}

test_valid_exception_lifts_a_freeze if {
	exc := {"ticket": "EXC-1042", "expiresAt": "2025-11-28T00:00:00Z", "policy": "rf.remediation"}
	d := decide(object.union(thursday_night, {"exceptions": [exc]}))
	d.result == "allow"
	d.exception == {"ticket": "EXC-1042", "expiresAt": "2025-11-28T00:00:00Z"}
	d.reasons[0] == "waived by exception EXC-1042: change freeze 'black-friday' is in effect until 2025-12-02T00:00:00Z"
}

test_exception_keeps_the_approval_requirement if {
	exc := {"ticket": "EXC-1042", "expiresAt": "2025-11-28T00:00:00Z"}
	d := decide(object.union(thursday_night, {"exceptions": [exc], "plan": {"riskScore": 70}}))
	d.result == "needs_approval"
	d.exception.ticket == "EXC-1042"
}

test_expired_exception_keeps_the_freeze if {
	exc := {"ticket": "EXC-1042", "expiresAt": "2025-11-27T22:00:00Z"}
	d := decide(object.union(thursday_night, {"exceptions": [exc]}))
	d.result == "deny"
	not d.exception
}

test_unreadable_input_is_denied if {
	d := remediation.decision with input as {}
	d.result == "deny"
	d.reasons == [
		"autonomy level must be an integer from 0 to 5",
		"environment must be an object",
		"fleet size must be at least 1",
		"now must be whole milliseconds since the epoch or an RFC 3339 timestamp",
		"plan risk score must be a number from 0 to 100",
		"wave size must be a whole number of assets, at least 1",
	]
}

test_out_of_range_values_are_denied if {
	d := decide({"autonomyLevel": 6, "plan": {"riskScore": 101}, "wave": {"assets": 2.5}})
	"autonomy level must be an integer from 0 to 5" in d.reasons
	"plan risk score must be a number from 0 to 100" in d.reasons
	"wave size must be a whole number of assets, at least 1" in d.reasons
	local := "environment local must be the weekday (sun..sat) and minute of the day (0-1439) of now"
	some bad in [{"weekday": "tuesday", "minute": 1410}, {"weekday": "tue", "minute": 1440}, {"weekday": "tue", "minute": 1.5}, {"weekday": "tue"}, "tue 23:30"]
	e := remediation.decision with input as with_env({"local": bad})
	e.reasons == [local]
}

test_malformed_environment_is_denied if {
	d := remediation.decision with input as object.union(object.remove(base, ["environment"]), {"environment": "prod"})
	d.reasons == ["environment must be an object"]
	e := remediation.decision with input as with_env({"changeWindows": 7, "freezes": "none"})
	e.reasons == ["environment changeWindows must be a list", "environment freezes must be a list"]
}

test_now_as_rfc3339_is_still_read if {
	d := decide({"now": "2025-11-25T22:30:00Z"})
	d.result == "allow"
	e := decide({"now": 1.5})
	"now must be whole milliseconds since the epoch or an RFC 3339 timestamp" in e.reasons
}

test_missing_local_time_is_denied if {
	env := object.remove(base.environment, ["local"])
	d := remediation.decision with input as object.union(object.remove(base, ["environment"]), {"environment": env})
	d.result == "deny"
	"environment local must be the weekday (sun..sat) and minute of the day (0-1439) of now" in d.reasons
}

test_tightened_percent if {
	d := remediation.decision with input as with_env({"blastRadius": {"maxPercent": 2}})
	d.reasons == ["wave of 5 assets is more than 2% of a fleet of 200 in prod"]
	e := remediation.decision with input as with_env({"blastRadius": {"maxPercent": "1"}})
	e.result == "allow"
}

test_approved_plan_runs_what_needed_approval if {
	d := decide({"approved": true, "plan": {"riskScore": 45}})
	d.result == "allow"
	d.reasons == ["approved by a human: risk 45 exceeds the auto-approval limit of 40 for autonomy level 3 (level 4, one lower outside business hours) in prod"]
	e := decide({"approved": "yes", "plan": {"riskScore": 45}})
	e.result == "needs_approval"
}

test_approval_does_not_lift_denials if {
	d := decide(object.union(thursday_night, {"approved": true}))
	d.result == "deny"
	d.reasons == ["change freeze 'black-friday' is in effect until 2025-12-02T00:00:00Z"]
}

test_rollback_is_not_held_back if {
	rollback := "rollback: change windows, freezes, autonomy and blast radius do not hold it back"
	d := decide(object.union(thursday_night, {"action": "remediation.rollback", "autonomyLevel": 0, "plan": {"riskScore": 95}, "wave": {"assets": 30}, "fleet": {"size": 100}}))
	d.result == "allow"
	d.reasons == [rollback]
	e := decide(object.union(at("2025-11-25T14:00:00Z", "tue", 900), {"action": "remediation.rollback"}))
	e.reasons == [rollback]
}

test_rollback_still_needs_a_readable_input if {
	d := decide({"action": "remediation.rollback", "now": "yesterday"})
	d.result == "deny"
	d.reasons == ["now must be whole milliseconds since the epoch or an RFC 3339 timestamp"]
}

test_rollback_reads_only_now if {
	d := remediation.decision with input as {"now": ms("2025-11-27T22:30:00Z"), "action": "remediation.rollback", "plan": {"id": "p-1"}, "wave": {"index": 2, "assets": 0}}
	d.result == "allow"
}
