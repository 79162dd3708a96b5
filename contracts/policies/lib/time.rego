# Time arithmetic in plain Rego. The wasm target has no time.* builtins, and host-supplied ones
# could disagree with `opa test`, so timestamps are parsed here. Only years 1970-9999 are accepted,
# which keeps every division non-negative (Go and wasm floor negative quotients differently).
# Parsing avoids regex.match and JSON number parsing: wasm compiles a regex on every evaluation
# (~35 µs each), while digit lookups cost next to nothing.
package rf.lib.time

weekdays := ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

# Days before the first of each month in a common year.
_days_before_month := [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]

# RFC 3339 date-time with a mandatory offset, e.g. 2025-11-22T09:06:01Z or 2025-11-22T10:06:01.25+01:00.
valid(ts) if epoch(ts)

# Seconds since the Unix epoch, fractions kept; undefined unless ts is a valid RFC 3339 timestamp.
# Written flat, with few calls and no divisions of large numbers: it runs on every decision.
epoch(ts) := _plus_fraction(((((days * 86400) + (hour * 3600)) + (minute * 60)) + second) - offset, fraction) if {
	is_string(ts)
	count(ts) >= 20
	substring(ts, 4, 1) == "-"
	substring(ts, 7, 1) == "-"
	upper(substring(ts, 10, 1)) == "T"
	substring(ts, 13, 1) == ":"
	substring(ts, 16, 1) == ":"
	_digits_only(concat("", [
		substring(ts, 0, 4), substring(ts, 5, 2), substring(ts, 8, 2),
		substring(ts, 11, 2), substring(ts, 14, 2), substring(ts, 17, 2),
	]))
	year := to_number(substring(ts, 0, 4))
	month := _two_digits(substring(ts, 5, 2))
	day := _two_digits(substring(ts, 8, 2))
	hour := _two_digits(substring(ts, 11, 2))
	minute := _two_digits(substring(ts, 14, 2))
	second := _two_digits(substring(ts, 17, 2))
	year >= 1970
	month >= 1
	month <= 12
	day >= 1
	_day_in_month(year, month, day)
	hour <= 23
	minute <= 59
	second <= 60
	rest := substring(ts, 19, -1)
	zone := _zone(rest)
	offset := offset_seconds(zone)
	fraction := substring(rest, 0, count(rest) - count(zone))
	_fraction_valid(fraction)
	days := _days_since_epoch(year, month, day)
}

# UTC offset as used by environments and in timestamps: Z, +HH:MM or -HH:MM, at most 14 hours.
offset_valid(zone) if offset_seconds(zone) != null

offset_seconds(zone) := 0 if upper(zone) == "Z"

offset_seconds(zone) := seconds if {
	is_string(zone)
	count(zone) == 6
	substring(zone, 3, 1) == ":"
	_digits_only(concat("", [substring(zone, 1, 2), substring(zone, 4, 2)]))
	hours := _two_digits(substring(zone, 1, 2))
	minutes := _two_digits(substring(zone, 4, 2))
	minutes <= 59
	seconds := _sign(substring(zone, 0, 1)) * ((hours * 3600) + (minutes * 60))
	abs(seconds) <= 14 * 3600
}

# Minutes since local midnight for an HH:MM local clock time, 00:00 to 24:00 (24:00 closes a
# window at midnight); undefined when malformed.
clock_minutes(clock) := minutes if {
	is_string(clock)
	count(clock) == 5
	substring(clock, 2, 1) == ":"
	_digits_only(concat("", [substring(clock, 0, 2), substring(clock, 3, 2)]))
	minute := _two_digits(substring(clock, 3, 2))
	minute <= 59
	minutes := (_two_digits(substring(clock, 0, 2)) * 60) + minute
	minutes <= 1440
}

# Weekday ("sun".."sat") and minute of the day of instant ts, in the local time at offset zone.
local_time(ts, zone) := local_time_at(epoch(ts), offset_seconds(zone))

# As local_time, for an instant and a UTC offset both given in seconds.
local_time_at(seconds, offset) := {"weekday": weekdays[day % 7], "previous_weekday": weekdays[(day + 6) % 7], "minute": minute} if {
	local := floor(seconds) + offset
	local >= 0
	days := floor(local / 86400)

	# 1970-01-01 was a Thursday.
	day := days + 4
	minute := floor((local - (days * 86400)) / 60)
}

days_in_month(year, month) := 29 if {
	month == 2
	leap_year(year)
} else := [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]

leap_year(year) if {
	year % 4 == 0
	year % 100 != 0
}

leap_year(year) if year % 400 == 0

# Two digits as a number; the leading 1 keeps to_number from refusing a leading zero. Callers
# check the digits first: to_number alone would also read "1." or "e5".
_two_digits(text) := to_number(concat("", ["1", text])) - 100

# Most days exist in every month; only the 29th to the 31st need the calendar.
_day_in_month(year, month, day) if day <= 28

else := day <= days_in_month(year, month)

_digits_only(text) if trim_left(text, "0123456789") == ""

_sign(c) := 1 if c == "+"

else := -1 if c == "-"

_zone(rest) := "Z" if upper(substring(rest, count(rest) - 1, 1)) == "Z"

else := substring(rest, count(rest) - 6, 6)

# "" or "." followed by at least one digit.
_fraction_valid("")

_fraction_valid(text) if {
	startswith(text, ".")
	count(text) > 1
	_digits_only(substring(text, 1, -1))
}

# Whole seconds stay integers unless there is a fraction to add: decimal arithmetic is slow in wasm.
_plus_fraction(whole, "") := whole

_plus_fraction(whole, fraction) := whole + to_number(concat("", ["0", fraction])) if {
	fraction != ""
	trim_right(fraction, "0") != "."
}

_plus_fraction(whole, fraction) := whole if {
	fraction != ""
	trim_right(fraction, "0") == "."
}

# Days from 1970-01-01 to a proleptic Gregorian date, for years from 1970: 365 a year, plus the
# leap days of the years before, plus the days of this year so far.
_days_since_epoch(year, month, day) := ((((365 * (year - 1970)) + _leap_days_before(year)) + _days_before_month[month - 1]) + _leap_day(year, month)) + (day - 1)

# Leap days from 1970 to the start of year. Until 2100 every fourth year is one (one division);
# after, the Gregorian rule (477 leap years up to 1969).
_leap_days_before(year) := floor((year - 1969) / 4) if year <= 2100

else := ((floor((year - 1) / 4) - floor((year - 1) / 100)) + floor((year - 1) / 400)) - 477

# The 29th of February, counted from March on in a leap year.
_leap_day(year, month) := 1 if {
	month > 2
	leap_year(year)
} else := 0
