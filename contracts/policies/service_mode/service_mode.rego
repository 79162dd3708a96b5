# Service mode transitions.
#   maintenance: taken out of service for changes;  normal: serving production traffic;
#   degraded: serving with non-essential features shed;  frozen: serving, no changes allowed.
# No transition while a load test, backup or security scan runs against the service: its result
# would describe neither mode. Entering a production-like mode from a mode that is not needs
# evidence: a clean recent scan, a valid SBOM and a passing recent load test.
#
# input: {"now", "action"?, "service": {"name", "mode"}, "targetMode",
#         "activeOperations"?: [{"kind": "load_test" | "backup" | "scan", "id"}],
#         "evidence"?: {"scan": {"status": "clean" | "findings", "completedAt"},
#                       "sbom": {"valid": bool},
#                       "loadTest": {"status": "passed" | "failed", "completedAt"}},
#         "exceptions"?}
package rf.service_mode

import data.rf.lib.exceptions
import data.rf.lib.now
import data.rf.lib.outcome
import data.rf.lib.time

modes := {"maintenance", "normal", "degraded", "frozen"}

transitions := {
	"maintenance": {"normal", "frozen"},
	"normal": {"degraded", "maintenance", "frozen"},
	"degraded": {"normal", "maintenance", "frozen"},
	"frozen": {"normal", "maintenance"},
}

production_like := {"normal", "frozen"}

blocking_operations := {"load_test": "a load test", "backup": "a backup", "scan": "a security scan"}

# How old evidence may be, in seconds.
max_evidence_age := {"scan": 7 * 86400, "loadTest": 30 * 86400}

# Arguments of a negated call must be defined, or the whole rule is: hence the defaults.
current := object.get(input, ["service", "mode"], null)

target := object.get(input, "targetMode", null)

evidence := object.get(input, "evidence", {})

entering_production if {
	target in production_like
	not current in production_like
}

denials contains "now must be an RFC 3339 timestamp" if not now.valid

denials contains "activeOperations must be a list" if not is_array(object.get(input, "activeOperations", []))

denials contains concat("", ["unknown current mode '", _text(current), "'"]) if not current in modes

denials contains concat("", ["unknown target mode '", _text(target), "'"]) if not target in modes

denials contains concat("", ["service is already in mode ", target]) if {
	target in modes
	current == target
}

denials contains concat("", ["no transition from ", current, " to ", target]) if {
	current in modes
	target in modes
	current != target
	not target in transitions[current]
}

denials contains concat("", ["transition blocked: ", blocking_operations[op.kind], " is running (", _text(object.get(op, "id", null)), ")"]) if {
	some op in object.get(input, "activeOperations", [])
	blocking_operations[op.kind]
}

denials contains concat("", ["entering ", target, " needs a clean security scan"]) if {
	entering_production
	not evidence.scan.status == "clean"
}

denials contains concat("", ["entering ", target, " needs a security scan from the last 7 days"]) if {
	entering_production
	evidence.scan.status == "clean"
	not _fresh(evidence.scan, "scan")
}

denials contains concat("", ["entering ", target, " needs a valid SBOM"]) if {
	entering_production
	not evidence.sbom.valid == true
}

denials contains concat("", ["entering ", target, " needs a passing load test"]) if {
	entering_production
	not evidence.loadTest.status == "passed"
}

denials contains concat("", ["entering ", target, " needs a load test from the last 30 days"]) if {
	entering_production
	evidence.loadTest.status == "passed"
	not _fresh(evidence.loadTest, "loadTest")
}

_fresh(report, kind) if {
	age := now.seconds - time.epoch(report.completedAt)
	age >= 0
	age <= max_evidence_age[kind]
}

_text(value) := value if is_string(value)

else := "missing"

# Looked up once per evaluation, and only when there is something to waive.
exception := exceptions.select("rf.service_mode", denials)

decision := outcome.decide(denials, set(), set(), exception)
