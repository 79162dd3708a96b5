# input.now, read once per evaluation: rules are memoised within an evaluation, functions are not,
# so policies ask this package instead of parsing input.now wherever they need it.
package rf.lib.now

import data.rf.lib.time

# Seconds since the Unix epoch; undefined unless input.now is an RFC 3339 timestamp.
seconds := time.epoch(input.now)

valid if seconds >= 0
