#!/usr/bin/env bash
# The whole test pipeline behind `make test`. Every stage runs even when an earlier one fails,
# so one run reports everything; the last line is "N passed, N failed".
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
reports=.stack/test-reports
rm -rf "$reports" && mkdir -p "$reports"
checks_passed=0 checks_failed=0 stages_failed=0
declare -a summary=()

# A stage that is not a test tier counts as one check in the final line.
stage() { # NAME CMD...
  local name=$1 started=$SECONDS
  shift
  echo "=== $name"
  if "$@"; then
    [[ "$name" == *tests ]] || checks_passed=$((checks_passed + 1))
    summary+=("ok      $name ($((SECONDS - started))s)")
  else
    [[ "$name" == *tests ]] || checks_failed=$((checks_failed + 1))
    summary+=("FAILED  $name ($((SECONDS - started))s)")
    stages_failed=1
  fi
}

# --forceExit: once every test has reported, a client some test left connected (a Kafka socket, a
# timer) must not hold the run open until CI's deadline; Jest still names the leak in its warning.
jest_tier() { # TIER
  deploy/local/with-env.sh jest -c jest.config.js --selectProjects "$1" --runInBand --ci --forceExit \
    --json --outputFile="$reports/$1.json"
}

if [[ "${RF_STACK:-local}" == local ]]; then
  stage "stack up" deploy/local/stack.sh up
fi
stage "event topics" deploy/local/with-env.sh rf events provision
stage "event schemas" deploy/local/with-env.sh rf events register
stage "schema compatibility" deploy/local/with-env.sh rf events check-compat
stage "lint" make --no-print-directory lint
stage "deploy descriptors" make --no-print-directory lint-deploy
stage "typecheck" make --no-print-directory typecheck
stage "build" make --no-print-directory build
stage "unit tests" jest_tier unit
stage "integration tests" jest_tier integration
stage "e2e tests" jest_tier e2e

echo
printf '%s\n' "${summary[@]}"
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0;
  const failing = [];
  for (const tier of ["unit", "integration", "e2e"]) {
    const file = `${process.argv[1]}/${tier}.json`;
    if (!fs.existsSync(file)) { console.log(`${tier}: no report`); failed += 1; continue; }
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
    console.log(`${tier}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
    for (const suite of r.testResults) {
      const failures = suite.assertionResults.filter((t) => t.status === "failed");
      if (suite.status === "failed" && failures.length === 0)
        failing.push(`${suite.name}\n    ${suite.message.split("\n").slice(0, 12).join("\n    ")}`);
      for (const t of failures)
        failing.push(`${suite.name} > ${t.fullName}\n    ${t.failureMessages.join("\n").split("\n").slice(0, 12).join("\n    ")}`);
    }
  }
  // The digest comes last, so a log that keeps only its tail still says what failed and why.
  if (failing.length > 0) console.log(`\nfailed tests:\n${failing.map((f) => `  ${f}`).join("\n")}\n`);
  const checksFailed = Number(process.argv[3]);
  console.log(`${passed + Number(process.argv[2])} passed, ${failed + checksFailed} failed`);
' "$reports" "$checks_passed" "$checks_failed"
((stages_failed == 0))
