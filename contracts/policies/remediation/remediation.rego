# Remediation guard: may this wave of this plan run now, on its own, or only after a human approves?
#
# input: {"now": ms since the epoch, "action"?, "approved"?: bool, "autonomyLevel": 0-5, "plan": {"id", "riskScore": 0-100},
#         "wave": {"index", "assets"}, "fleet": {"size"},
#         "environment": {"name", "local": {"weekday": "sun".."sat", "minute": 0-1439},
#                         "changeWindows"?: [window], "businessHours"?: window,
#                         "freezes"?: [{"name", "start": ms, "end": ms, "until"?: RFC 3339}],
#                         "blastRadius"?: {"maxAssets", "maxPercent"}},
#         "exceptions"?}
# A window is {"days": ["mon", ...], "start", "end"}, its bounds minutes since midnight in the
# environment's local time. environment.local is `now` on the environment's clock: the caller, which
# knows the environment's time zone, computes it, so this policy parses no timestamp on its hot path.
#
# "approved": a human approved the plan, so what would need approval may run (denials still stop
# it). Action "remediation.rollback" restores the previous version: windows, freezes, autonomy and
# blast radius do not hold a rollback back, and it reads only "now" (and "plan", "wave" when given):
# it is still decided and recorded, and refused when "now" cannot be read or no policy can decide.
package rf.remediation

import data.rf.lib.exceptions
import data.rf.lib.now
import data.rf.lib.outcome
import data.rf.lib.schedule

rollback if input.action == "remediation.rollback"

approved if input.approved == true

# Highest risk score each autonomy level may run without approval; level 0 never runs on its own.
auto_approve_max := {0: -1, 1: 10, 2: 25, 3: 40, 4: 60, 5: 80}

# Lower environments tolerate more risk before a human must look.
risk_allowance := {"dev": 20, "staging": 10, "prod": 0}

# At or above this score a plan is refused at every level: split it into smaller waves.
critical_risk := 90

# Largest wave per environment, in assets and in percent of the fleet. An environment may tighten
# these with environment.blastRadius, never loosen them. Unknown environments get prod's limits.
blast_radius := {
	"dev": {"maxAssets": 500, "maxPercent": 50},
	"staging": {"maxAssets": 100, "maxPercent": 25},
	"prod": {"maxAssets": 25, "maxPercent": 10},
}

env := input.environment if is_object(input.environment)

else := {}

env_name := env.name if blast_radius[env.name]

else := "prod"

_previous_weekday := {"sun": "sat", "mon": "sun", "tue": "mon", "wed": "tue", "thu": "wed", "fri": "thu", "sat": "fri"}

# Local time in the environment, as schedule.in_window reads it.
local_now := {"weekday": day, "previous_weekday": previous, "minute": minute} if {
	day := env.local.weekday
	previous := _previous_weekday[day]
	minute := env.local.minute
	is_number(minute)
	minute == floor(minute)
	minute >= 0
	minute < 1440
}

level := input.autonomyLevel if {
	is_number(input.autonomyLevel)
	input.autonomyLevel == floor(input.autonomyLevel)
	input.autonomyLevel >= 0
	input.autonomyLevel <= 5
}

risk := input.plan.riskScore if {
	is_number(input.plan.riskScore)
	input.plan.riskScore >= 0
	input.plan.riskScore <= 100
}

# Outside business hours fewer people watch a change land, so autonomy counts one level lower.
effective_level := level - 1 if {
	_outside_business_hours
	level > 0
} else := level

level_text := concat("", ["autonomy level ", format_int(effective_level, 10), " (level ", format_int(level, 10), ", one lower outside business hours)"]) if {
	effective_level != level
} else := concat("", ["autonomy level ", format_int(level, 10)])

_outside_business_hours if {
	env.businessHours
	not schedule.in_window(env.businessHours, local_now)
}

auto_limit := auto_approve_max[effective_level] + risk_allowance[env_name] if effective_level > 0

auto_limit := -1 if effective_level == 0

limits := {
	"maxAssets": _tightened("maxAssets"),
	"maxPercent": _tightened("maxPercent"),
}

_tightened(key) := env.blastRadius[key] if {
	is_number(env.blastRadius[key])
	env.blastRadius[key] < blast_radius[env_name][key]
} else := blast_radius[env_name][key]

wave_assets := input.wave.assets if {
	is_number(input.wave.assets)
	input.wave.assets == floor(input.wave.assets)
	input.wave.assets >= 1
}

fleet_size := input.fleet.size if {
	is_number(input.fleet.size)
	input.fleet.size >= 1
}

# Input that cannot be read is a deny, never a default.
denials contains "now must be whole milliseconds since the epoch or an RFC 3339 timestamp" if not now.valid

denials contains "environment must be an object" if {
	not rollback
	not is_object(object.get(input, "environment", null))
}

denials contains concat("", ["environment ", key, " must be a list"]) if {
	some key in ["changeWindows", "freezes"]
	not is_array(object.get(env, key, []))
}

denials contains "autonomy level must be an integer from 0 to 5" if {
	not rollback
	not level
}

denials contains "plan risk score must be a number from 0 to 100" if {
	not rollback
	not risk
}

denials contains "wave size must be a whole number of assets, at least 1" if {
	not rollback
	not wave_assets
}

denials contains "fleet size must be at least 1" if {
	not rollback
	not fleet_size
}

denials contains "environment local must be the weekday (sun..sat) and minute of the day (0-1439) of now" if {
	not rollback
	is_object(input.environment)
	not local_now
}

denials contains concat("", ["risk ", format_int(risk, 10), " is critical (at least ", format_int(critical_risk, 10), "): split the plan into smaller waves"]) if {
	not rollback
	risk >= critical_risk
}

denials contains concat("", ["wave of ", format_int(wave_assets, 10), " assets exceeds the ", env_name, " limit of ", format_int(limits.maxAssets, 10), " per wave"]) if {
	not rollback
	wave_assets > limits.maxAssets
}

denials contains concat("", ["wave of ", format_int(wave_assets, 10), " assets is larger than the fleet of ", format_int(fleet_size, 10)]) if {
	not rollback
	wave_assets > fleet_size
}

denials contains concat("", ["wave of ", format_int(wave_assets, 10), " assets is more than ", format_int(limits.maxPercent, 10), "% of a fleet of ", format_int(fleet_size, 10), " in ", env_name]) if {
	not rollback
	wave_assets <= fleet_size
	wave_assets * 100 > limits.maxPercent * fleet_size
}

denials contains concat("", ["outside the change windows of ", env_name]) if {
	not rollback
	count(object.get(env, "changeWindows", [])) > 0
	not schedule.in_any_window(env.changeWindows, local_now)
}

denials contains reason if {
	not rollback
	some reason in schedule.freeze_reasons(object.get(env, "freezes", []), now.millis)
}

approvals := set() if approved

else := needed_approvals

notes contains concat("", ["approved by a human: ", reason]) if {
	approved
	some reason in needed_approvals
}

notes contains "rollback: change windows, freezes, autonomy and blast radius do not hold it back" if rollback

needed_approvals contains "autonomy level 0 runs nothing without approval" if {
	not rollback
	effective_level == 0
	level == 0
}

needed_approvals contains "autonomy level 1 counts as 0 outside business hours: approval required" if {
	not rollback
	effective_level == 0
	level == 1
}

needed_approvals contains concat("", ["risk ", format_int(risk, 10), " exceeds the auto-approval limit of ", format_int(auto_limit, 10), " for ", level_text, " in ", env_name]) if {
	not rollback
	effective_level > 0
	risk > auto_limit
}

notes contains concat("", ["risk ", format_int(risk, 10), " is within the auto-approval limit of ", format_int(auto_limit, 10), " for ", level_text, " in ", env_name]) if {
	not rollback
	effective_level > 0
	risk <= auto_limit
}

# Looked up once per evaluation, and only when there is something to waive.
exception := exceptions.select("rf.remediation", denials)

# Denied without an exception: approvals and notes are not worked out at all.
decision := outcome.denied(denials) if {
	count(denials) > 0
	exception == null
} else := outcome.decide(denials, approvals, notes, exception)
