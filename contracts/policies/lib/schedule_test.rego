package rf.lib.schedule_test

import data.rf.lib.schedule
import data.rf.lib.time

weekdays := ["mon", "tue", "wed", "thu", "fri"]

office := {"days": weekdays, "start": "09:00", "end": "17:00"}

overnight := {"days": ["mon", "tue", "wed", "thu"], "start": "22:00", "end": "04:00"}

# 2025-11-24 is a Monday.
test_same_day_window if {
	schedule.in_window(office, time.local_time("2025-11-24T09:00:00Z", "Z"))
	schedule.in_window(office, time.local_time("2025-11-24T16:59:59Z", "Z"))
	not schedule.in_window(office, time.local_time("2025-11-24T17:00:00Z", "Z"))
	not schedule.in_window(office, time.local_time("2025-11-22T10:00:00Z", "Z"))
}

test_window_in_local_time if {
	# 08:30 UTC is 09:30 in +01:00.
	schedule.in_window(office, time.local_time("2025-11-24T08:30:00Z", "+01:00"))
	not schedule.in_window(office, time.local_time("2025-11-24T08:30:00Z", "Z"))
}

test_overnight_window if {
	schedule.in_window(overnight, time.local_time("2025-11-24T23:00:00Z", "Z"))
	schedule.in_window(overnight, time.local_time("2025-11-25T03:59:00Z", "Z"))
	not schedule.in_window(overnight, time.local_time("2025-11-25T04:00:00Z", "Z"))
	not schedule.in_window(overnight, time.local_time("2025-11-24T21:59:00Z", "Z"))

	# Friday night is not in the window, but the early hours of Friday (Thursday's night) are.
	not schedule.in_window(overnight, time.local_time("2025-11-28T23:00:00Z", "Z"))
	schedule.in_window(overnight, time.local_time("2025-11-28T01:00:00Z", "Z"))
	not schedule.in_window(overnight, time.local_time("2025-11-24T01:00:00Z", "Z"))
}

test_whole_day_window if {
	schedule.in_window({"days": ["sat"], "start": "00:00", "end": "00:00"}, time.local_time("2025-11-22T23:59:00Z", "Z"))
	not schedule.in_window({"days": ["sat"], "start": "00:00", "end": "00:00"}, time.local_time("2025-11-23T00:00:00Z", "Z"))
}

test_malformed_window_never_matches if {
	not schedule.in_window({"days": weekdays, "start": "9am", "end": "17:00"}, time.local_time("2025-11-24T10:00:00Z", "Z"))
	not schedule.in_window({"start": "09:00", "end": "17:00"}, time.local_time("2025-11-24T10:00:00Z", "Z"))
	not schedule.in_any_window([], time.local_time("2025-11-24T10:00:00Z", "Z"))
	schedule.in_any_window([overnight, office], time.local_time("2025-11-24T10:00:00Z", "Z"))
}

test_freeze_bounds if {
	freeze := {"name": "black-friday", "start": "2025-11-27T00:00:00Z", "end": "2025-12-02T00:00:00Z"}
	reason := "change freeze 'black-friday' is in effect until 2025-12-02T00:00:00Z"
	schedule.freeze_reasons([freeze], time.epoch("2025-11-27T00:00:00Z") * 1000) == {reason}
	schedule.freeze_reasons([freeze], time.epoch("2025-12-01T23:59:59Z") * 1000) == {reason}
	schedule.freeze_reasons([freeze], time.epoch("2025-12-02T00:00:00Z") * 1000) == set()
	schedule.freeze_reasons([freeze], time.epoch("2025-11-26T23:59:59Z") * 1000) == set()
}

test_unreadable_freeze_is_in_effect if {
	at := time.epoch("2025-01-01T00:00:00Z") * 1000
	unreadable := "change freeze 'unnamed' has unreadable bounds and is treated as in effect"
	schedule.freeze_reasons([{"start": "2025-11-27", "end": "2025-12-02T00:00:00Z"}], at) == {unreadable}
	schedule.freeze_reasons([{"name": "open-ended", "start": "2025-11-27T00:00:00Z"}], at) == {"change freeze 'open-ended' has unreadable bounds and is treated as in effect"}
	schedule.freeze_reasons(["black-friday"], at) == {unreadable}
}

test_window_bounds_in_minutes if {
	minutes := {"days": weekdays, "start": 540, "end": 1020}
	schedule.in_window(minutes, time.local_time("2025-11-24T09:00:00Z", "Z"))
	not schedule.in_window(minutes, time.local_time("2025-11-24T17:00:00Z", "Z"))
	schedule.in_window({"days": ["mon"], "start": 1320, "end": 1440}, time.local_time("2025-11-24T23:59:00Z", "Z"))
	not schedule.in_window({"days": weekdays, "start": 540.5, "end": 1020}, time.local_time("2025-11-24T10:00:00Z", "Z"))
	not schedule.in_window({"days": weekdays, "start": -1, "end": 1020}, time.local_time("2025-11-24T10:00:00Z", "Z"))
	not schedule.in_window({"days": weekdays, "start": 540, "end": 1441}, time.local_time("2025-11-24T10:00:00Z", "Z"))
}

test_freeze_bounds_in_milliseconds if {
	start := time.epoch("2025-11-27T00:00:00Z") * 1000
	end := time.epoch("2025-12-02T00:00:00Z") * 1000
	freeze := {"name": "black-friday", "start": start, "end": end, "until": "2025-12-02T00:00:00Z"}
	schedule.freeze_reasons([freeze], start) == {"change freeze 'black-friday' is in effect until 2025-12-02T00:00:00Z"}
	schedule.freeze_reasons([freeze], end - 1) == {"change freeze 'black-friday' is in effect until 2025-12-02T00:00:00Z"}
	schedule.freeze_reasons([freeze], end) == set()
	schedule.freeze_reasons([freeze], start - 1) == set()
	schedule.freeze_reasons([object.remove(freeze, ["until"])], start) == {"change freeze 'black-friday' is in effect"}
	schedule.freeze_reasons([object.union(freeze, {"start": 1.5})], 0) == {"change freeze 'black-friday' has unreadable bounds and is treated as in effect"}
	schedule.freeze_reasons([object.union(freeze, {"end": -1})], 0) == {"change freeze 'black-friday' has unreadable bounds and is treated as in effect"}
}
