# Change windows, business hours and freeze periods.
package rf.lib.schedule

import data.rf.lib.time

# A window is {"days": ["mon", ...], "start", "end"} in local time, its bounds minutes since local
# midnight (0-1440: nothing to parse) or "HH:MM" clock times; t is the local time to test, as
# time.local_time returns it. A window whose end is not after its start runs past midnight into the
# next day; start == end covers the whole day. Malformed windows never match.
in_window(window, t) if {
	start := _minute_of_day(window.start)
	end := _minute_of_day(window.end)
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

_minute_of_day(m) := m if {
	is_number(m)
	m == floor(m)
	m >= 0
	m <= 1440
} else := time.clock_minutes(m)

# Freezes are {"name", "start", "end", "until"?} (end exclusive); bounds are whole milliseconds
# since the epoch (nothing to parse) or RFC 3339 timestamps, and `until` is the end as text for the
# reason when the bounds are numbers. freeze_reasons gives one reason per freeze in effect at
# `millis` since the epoch. A freeze whose bounds cannot be read is treated as in effect: a typo
# must not lift a freeze. Each bound is read once.
freeze_reasons(freezes, millis) := {reason |
	some freeze in freezes
	reason := _freeze_reason(freeze, _millis_of(freeze, "start"), _millis_of(freeze, "end"), millis)
}

_freeze_reason(freeze, start, end, millis) := concat("", ["change freeze '", _name(freeze), "' has unreadable bounds and is treated as in effect"]) if {
	null in [start, end]
} else := concat("", ["change freeze '", _name(freeze), "' is in effect", _until(freeze)]) if {
	start <= millis
	millis < end
}

_millis_of(freeze, key) := ms if {
	is_object(freeze)
	ms := freeze[key]
	is_number(ms)
	ms == floor(ms)
	ms >= 0
} else := ms if {
	is_object(freeze)
	ms := time.epoch(freeze[key]) * 1000
} else := null

_until(freeze) := concat("", [" until ", freeze.end]) if is_string(freeze.end)

else := concat("", [" until ", freeze.until]) if is_string(freeze.until)

else := ""

_name(freeze) := freeze.name if is_string(freeze.name)

else := "unnamed"
