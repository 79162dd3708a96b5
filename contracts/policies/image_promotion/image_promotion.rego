# Image promotion guard: may this golden-image version enter the target channel?
# Channels run dev -> staging -> prod, one step at a time; a new version enters dev.
#
# input: {"now", "action"?, "from"?: channel, "to": channel,
#         "image": {"family", "version", "digest", "revoked"?,
#                   "signature": {"verified": bool, "keyId"?},
#                   "sbom": {"present": bool, "format", "contractSatisfied"?: bool},
#                   "cis": {"level": 1 | 2, "score": 0-100}},
#         "exceptions"?}
package rf.image_promotion

import data.rf.lib.exceptions
import data.rf.lib.outcome

channel_rank := {"dev": 1, "staging": 2, "prod": 3}

# What each channel demands. Dev admits unsigned images and missing SBOMs with a warning, so
# pipelines can be brought up before signing is in place (issue #12: warn in dev, enforce in prod).
requirements := {
	"dev": {"signature": false, "sbom": false, "contract": false, "cisLevel": 1, "cisScore": 70},
	"staging": {"signature": true, "sbom": true, "contract": false, "cisLevel": 1, "cisScore": 85},
	"prod": {"signature": true, "sbom": true, "contract": true, "cisLevel": 2, "cisScore": 90},
}

target := input.to if input.to in object.keys(requirements)

# Where the version is now; missing or null for a new version.
source := input.from if input.from != null

required := requirements[target]

image := object.get(input, "image", {})

signed if image.signature.verified == true

# ADR-006: SBOMs are SPDX.
has_sbom if {
	image.sbom.present == true
	startswith(lower(image.sbom.format), "spdx")
}

denials contains "unknown target channel" if not target

denials contains "a new version enters the dev channel first" if {
	target
	not source
	target != "dev"
}

denials contains "unknown source channel" if {
	source
	not channel_rank[source]
}

denials contains concat("", ["promotion goes one channel at a time: ", source, " -> ", target, " is not allowed"]) if {
	target
	channel_rank[source]
	channel_rank[target] != channel_rank[source] + 1
}

denials contains "image version is revoked" if image.revoked == true

denials contains concat("", ["image signature is not verified; ", target, " requires a verified signature"]) if {
	required.signature
	not signed
}

denials contains concat("", ["no SPDX SBOM; ", target, " requires one"]) if {
	required.sbom
	not has_sbom
}

# The registry compares the SBOM with the packages of the contract the manifest names; false when a
# required package is missing or at the wrong version, or a forbidden one is present. Absent when
# the version was published without its contract.
contract_unmet if image.sbom.contractSatisfied == false

denials contains concat("", ["the SBOM does not satisfy the image contract's packages; ", target, " requires it to"]) if {
	required.contract
	contract_unmet
}

denials contains concat("", ["no CIS benchmark result; ", target, " requires CIS level ", format_int(required.cisLevel, 10), " with a score of at least ", format_int(required.cisScore, 10)]) if {
	target
	not _cis_reported
}

denials contains concat("", ["CIS level ", format_int(image.cis.level, 10), " is below the level ", format_int(required.cisLevel, 10), " that ", target, " requires"]) if {
	_cis_reported
	image.cis.level < required.cisLevel
}

denials contains concat("", ["CIS score ", format_int(image.cis.score, 10), " is below the ", format_int(required.cisScore, 10), " that ", target, " requires"]) if {
	_cis_reported
	image.cis.score < required.cisScore
}

_cis_reported if {
	is_number(image.cis.level)
	is_number(image.cis.score)
}

notes contains "warning: unsigned image admitted to dev" if {
	target == "dev"
	not signed
}

notes contains "warning: no SPDX SBOM; staging will require one" if {
	target == "dev"
	not has_sbom
}

notes contains concat("", ["warning: the SBOM does not satisfy the image contract's packages; prod will require it to"]) if {
	not required.contract
	contract_unmet
}

# Looked up once per evaluation, and only when there is something to waive.
exception := exceptions.select("rf.image_promotion", denials)

decision := outcome.decide(denials, set(), notes, exception)
