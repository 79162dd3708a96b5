# Change windows, business hours and freeze periods.
package rf.lib.schedule

import data.rf.lib.time

# A window is {"days": ["mon", ...], "start": "HH:MM", "end": "HH:MM"} in local time; t is the
# local time to test, as time.local_time returns it. A window whose end is not after its start runs
# past midnight into the next day; start == end covers the whole day. Malformed windows never match.
in_window(window, t) if {
	start := time.clock_minutes(window.start)
	end := time.clock_minutes(window.end)
	_open(window.days, start, end, t)
}

in_any_window(windows, t) if {
	some window in windows
	in_window(window, t)
}

# Same-day window.
_open(days, start, end, t) if {
	start < end
	t.weekday in days
	t.minute >= start
	t.minute < end
}

# Whole day.
_open(days, start, end, t) if {
	start == end
	t.weekday in days
}

# Overnight window, evening part.
_open(days, start, end, t) if {
	start > end
	t.weekday in days
	t.minute >= start
}

# Overnight window, the morning after.
_open(days, start, end, t) if {
	start > end
	t.previous_weekday in days
	t.minute < end
}

# Freezes are {"name", "start", "end"} (RFC 3339, end exclusive). freeze_reasons gives one reason
# per freeze in effect at `seconds` since the epoch. A freeze whose bounds cannot be read is treated
# as in effect: a typo must not lift a freeze. Each bound is parsed once.
freeze_reasons(freezes, seconds) := {reason |
	some freeze in freezes
	reason := _freeze_reason(freeze, _epoch_of(freeze, "start"), _epoch_of(freeze, "end"), seconds)
}

_freeze_reason(freeze, start, end, seconds) := concat("", ["change freeze '", _name(freeze), "' has unreadable bounds and is treated as in effect"]) if {
	null in [start, end]
} else := concat("", ["change freeze '", _name(freeze), "' is in effect until ", freeze.end]) if {
	start <= seconds
	seconds < end
}

_epoch_of(freeze, key) := seconds if {
	is_object(freeze)
	seconds := time.epoch(freeze[key])
} else := null

_name(freeze) := freeze.name if is_string(freeze.name)

else := "unnamed"
