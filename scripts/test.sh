#!/usr/bin/env bash
# The README's test command (make test): builds once, runs every test project, and closes with
# one summary line "N passed, N failed, N skipped". Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
mkdir -p .run
log=.run/test.log
dotnet build certstream-nats.slnx -c Release -nologo -v q
set +e
# One test assembly at a time (-m:1): several suites start nats-server, simulators and service processes, and
# timing-based tests (keepalives, lease renewals) must not starve each other on a 2-core machine.
dotnet test certstream-nats.slnx -c Release --no-build -nologo -m:1 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# Sum the per-assembly lines: "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total: ..."
awk '/Failed: *[0-9]+, Passed: *[0-9]+, Skipped: *[0-9]+/ {
       gsub(/,/, ""); for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s; if (p == 0) exit 1 }' "$log" || status=1
exit "$status"
