package rf.lib.now_test

import data.rf.lib.now

test_now_in_milliseconds if {
	now.millis == 1764063000000 with input as {"now": 1764063000000}
	now.seconds == 1764063000 with input as {"now": 1764063000000}
	now.valid with input as {"now": 0}
}

test_now_as_rfc3339 if {
	now.millis == 1764063000000 with input as {"now": "2025-11-25T09:30:00Z"}
	now.seconds == 1764063000 with input as {"now": "2025-11-25T09:30:00Z"}
}

test_unreadable_now if {
	not now.valid with input as {"now": 1.5}
	not now.valid with input as {"now": -1}
	not now.valid with input as {"now": "yesterday"}
	not now.valid with input as {}
	not now.millis with input as {"now": "yesterday"}
}
