package rf.image_promotion_test

import data.rf.image_promotion

good_image := {
	"family": "ubuntu-22-04-base",
	"version": "2025.10.14",
	"digest": "sha256:0c55b159cbfafe1f0c55b159cbfafe1f0c55b159cbfafe1f0c55b159cbfafe1f",
	"signature": {"verified": true, "keyId": "cosign-release"},
	"sbom": {"present": true, "format": "SPDX-2.3"},
	"cis": {"level": 2, "score": 96},
}

promote(from, to, image) := d if {
	d := image_promotion.decision with input as {"now": "2025-11-22T09:00:00Z", "from": from, "to": to, "image": image}
}

test_compliant_image_reaches_prod if {
	promote("staging", "prod", good_image) == {"allow": true, "result": "allow", "reasons": []}
}

test_new_version_enters_dev if {
	d := image_promotion.decision with input as {"to": "dev", "image": good_image}
	d.allow
	promote(null, "dev", good_image).allow
}

test_new_version_cannot_skip_dev if {
	d := image_promotion.decision with input as {"to": "staging", "image": good_image}
	d.reasons == ["a new version enters the dev channel first"]
}

test_channels_are_not_skipped if {
	promote("dev", "prod", good_image).reasons == ["promotion goes one channel at a time: dev -> prod is not allowed"]
	promote("prod", "staging", good_image).result == "deny"
	promote("staging", "staging", good_image).result == "deny"
}

test_unknown_channels if {
	promote("staging", "production", good_image).reasons == ["unknown target channel"]
	"unknown source channel" in promote("qa", "prod", good_image).reasons
}

test_unsigned_image_blocked_from_staging_and_prod if {
	unsigned := object.union(good_image, {"signature": {"verified": false}})
	promote("staging", "prod", unsigned).reasons == ["image signature is not verified; prod requires a verified signature"]
	promote("dev", "staging", object.remove(good_image, ["signature"])).result == "deny"
}

test_unsigned_image_admitted_to_dev_with_a_warning if {
	d := promote(null, "dev", object.remove(good_image, ["signature", "sbom"]))
	d.allow
	d.reasons == ["warning: no SPDX SBOM; staging will require one", "warning: unsigned image admitted to dev"]
}

test_sbom_must_be_spdx if {
	cyclonedx := object.union(good_image, {"sbom": {"present": true, "format": "cyclonedx-1.5"}})
	promote("staging", "prod", cyclonedx).reasons == ["no SPDX SBOM; prod requires one"]
	absent := object.union(good_image, {"sbom": {"present": false, "format": "spdx-2.3"}})
	promote("dev", "staging", absent).reasons == ["no SPDX SBOM; staging requires one"]
}

test_sbom_contract_mismatch_blocks_prod_only if {
	unmet := object.union(good_image, {"sbom": {"present": true, "format": "SPDX-2.3", "contractSatisfied": false}})
	promote("staging", "prod", unmet).reasons == ["the SBOM does not satisfy the image contract's packages; prod requires it to"]
	d := promote("dev", "staging", unmet)
	d.allow
	d.reasons == ["warning: the SBOM does not satisfy the image contract's packages; prod will require it to"]
	met := object.union(good_image, {"sbom": {"present": true, "format": "SPDX-2.3", "contractSatisfied": true}})
	promote("staging", "prod", met).allow
}

test_cis_thresholds_by_channel if {
	level1 := object.union(good_image, {"cis": {"level": 1, "score": 88}})
	promote("dev", "staging", level1).allow
	promote("staging", "prod", level1).reasons == [
		"CIS level 1 is below the level 2 that prod requires",
		"CIS score 88 is below the 90 that prod requires",
	]
	weak := object.union(good_image, {"cis": {"level": 1, "score": 69}})
	promote(null, "dev", weak).reasons == ["CIS score 69 is below the 70 that dev requires"]
}

test_missing_cis_result_is_denied if {
	d := promote("staging", "prod", object.remove(good_image, ["cis"]))
	d.reasons == ["no CIS benchmark result; prod requires CIS level 2 with a score of at least 90"]
}

test_revoked_image_is_denied if {
	d := promote("staging", "prod", object.union(good_image, {"revoked": true}))
	d.reasons == ["image version is revoked"]
}

test_exception_admits_a_revoked_image if {
	d := image_promotion.decision with input as {
		"now": "2025-11-22T09:00:00Z",
		"from": "staging",
		"to": "prod",
		"image": object.union(good_image, {"revoked": true}),
		"exceptions": [{"ticket": "EXC-9", "expiresAt": "2025-11-23T00:00:00Z", "policy": "rf.image_promotion"}],
	}
	d.allow
	d.reasons == ["waived by exception EXC-9: image version is revoked"]
}
