package rf.lib.time_test

import data.rf.lib.time

test_epoch_of_utc_timestamp if {
	time.epoch("2025-11-22T09:06:01Z") == 1763802361
}

test_epoch_applies_offset_and_fraction if {
	time.epoch("2024-02-29T23:59:59.5-05:30") == 1709270999.5
	time.epoch("2000-03-01T00:00:00+14:00") == 951818400
	time.epoch("1970-01-01t00:00:00z") == 0
}

test_epoch_past_2100 if {
	time.epoch("2101-01-01T00:00:00Z") == 4133980800
	time.epoch("2400-02-29T12:00:00Z") == 13574606400
}

test_zero_fraction_keeps_whole_seconds if {
	time.epoch("2025-11-22T09:06:01.000Z") == 1763802361
	time.epoch("2025-11-22T09:06:01.250Z") == 1763802361.25
}

test_leap_second_is_readable if {
	time.epoch("2016-12-31T23:59:60Z") == 1483228800
}

test_invalid_timestamps if {
	not time.valid("2025-02-29T00:00:00Z")
	not time.valid("2025-13-01T00:00:00Z")
	not time.valid("2025-00-10T00:00:00Z")
	not time.valid("2025-04-31T00:00:00Z")
	not time.valid("2025-04-00T00:00:00Z")
	not time.valid("2025-11-22T24:00:00Z")
	not time.valid("2025-11-22T09:60:00Z")
	not time.valid("2025-11-22T09:00:00")
	not time.valid("2025-11-22T09:00:00+15:00")
	not time.valid("1969-12-31T23:59:59Z")
	not time.valid("2025-11-22T09:00:00.Z")
	not time.valid("2025-11-22T09:00:00.1aZ")
	not time.valid("2025-11-22X09:00:00Z")
	not time.valid("2025/11/22T09:00:00Z")
	not time.valid("2025-11-22T09-00:00Z")
	not time.valid("2025-11-22T09:00:00+01:0a")
	not time.valid("2025-11-22T09:00:00+0100")
	not time.valid("2025-11-22T09:00:00 01:00")
	not time.valid("202a-11-22T09:00:00Z")
	not time.valid(1763802361)
	not time.valid(null)
}

test_leap_years if {
	time.valid("2024-02-29T00:00:00Z")
	time.valid("2000-02-29T00:00:00Z")
	not time.valid("2100-02-29T00:00:00Z")
	time.days_in_month(2025, 2) == 28
	time.days_in_month(2025, 12) == 31
}

test_offsets if {
	time.offset_seconds("Z") == 0
	time.offset_seconds("+01:30") == 5400
	time.offset_seconds("-05:00") == -18000
	time.offset_valid("+14:00")
	not time.offset_valid("+14:01")
	not time.offset_valid("CET")
	not time.offset_valid(60)
}

test_clock_minutes if {
	time.clock_minutes("00:00") == 0
	time.clock_minutes("22:30") == 1350
	time.clock_minutes("24:00") == 1440
	not time.clock_minutes("24:30")
	not time.clock_minutes("7:00")
	not time.clock_minutes("12:60")
	not time.clock_minutes("12-30")
	not time.clock_minutes("1a:30")
	not time.clock_minutes(700)
}

test_local_time_in_another_offset if {
	# Saturday 09:06 UTC is Saturday 10:06 in +01:00 and Friday 23:06 in -10:00.
	time.local_time("2025-11-22T09:06:01Z", "+01:00") == {"weekday": "sat", "previous_weekday": "fri", "minute": 606}
	time.local_time("2025-11-22T09:06:01Z", "-10:00") == {"weekday": "fri", "previous_weekday": "thu", "minute": 1386}
}

test_local_time_needs_valid_inputs if {
	not time.local_time("2025-11-22T09:06:01Z", "CET")
	not time.local_time("yesterday", "Z")
}
