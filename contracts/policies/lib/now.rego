# input.now, read once per evaluation: rules are memoised within an evaluation, functions are not,
# so policies ask this package instead of parsing input.now wherever they need it.
#
# input.now is either whole milliseconds since the Unix epoch (a number: nothing to parse, what hot
# policies such as rf.remediation are given) or an RFC 3339 timestamp (parsed in Rego, ~12 µs in wasm).
package rf.lib.now

import data.rf.lib.time

_epoch_millis if {
	is_number(input.now)
	input.now == floor(input.now)
	input.now >= 0
}

# Seconds since the Unix epoch; undefined unless input.now is readable.
seconds := input.now / 1000 if _epoch_millis

else := time.epoch(input.now)

# Milliseconds since the Unix epoch; undefined unless input.now is readable.
millis := input.now if _epoch_millis

else := time.epoch(input.now) * 1000

# Read through millis: for a number it is input.now itself, no division (decimal arithmetic is slow
# in wasm).
valid if millis >= 0
