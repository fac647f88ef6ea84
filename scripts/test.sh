#!/usr/bin/env bash
# The project's test command. Installs what the tests need (Debian packages), checks formatting,
# runs every test (one line per finished test, so a long run shows its progress) and ends with one line
# of totals: "N passed, N failed, N skipped" (CI reads only that last line).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
apt_updated=
apt_install() {
    if [ -z "$apt_updated" ]; then as_root apt-get update -q </dev/null || return 1; apt_updated=1; fi
    as_root apt-get install -y -q "$@" </dev/null
}

# The tests start their own throwaway PostgreSQL server from these binaries.
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    echo "== installing postgresql"
    apt_install postgresql || { echo "error: could not install postgresql"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
    # The package may start a 'main' cluster; the tests do not use it, so do not leave it running.
    for conf in /etc/postgresql/*/main; do
        [ -d "$conf" ] || continue
        version=$(basename "$(dirname "$conf")")
        as_root pg_ctlcluster "$version" main stop >/dev/null 2>&1 || true
        as_root sed -i 's/^auto$/manual/' "$conf/start.conf" || true
    done
    as_root systemctl disable --now postgresql 2>/dev/null || true
fi

# For the browser tests to come.
if [ ! -x /usr/bin/chromium ]; then
    echo "== installing chromium"
    apt_install chromium || echo "warning: could not install chromium; browser tests will not work"
fi

# The package tests open exported Parquet files with a third-party reader: hyparquet, from npm.
if ! command -v npm >/dev/null; then
    echo "== installing npm"
    apt_install npm || echo "warning: could not install npm; the package reader test will fail"
fi
if command -v npm >/dev/null; then
    echo "== npm install (tests/parquet-reader)"
    npm install --prefix tests/parquet-reader --no-audit --no-fund --no-progress </dev/null \
        || echo "warning: npm install failed; the package reader test will fail"
fi

echo "== dotnet format --verify-no-changes (about 20 s)"
if ! dotnet format Lims.sln --verify-no-changes; then
    echo "error: formatting differs; run 'dotnet format Lims.sln' and commit the result"
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi

echo "== dotnet test (builds, then about 2 minutes; each test is listed as it finishes)"
results=TestResults/run
rm -rf "$results"
dotnet test Lims.sln -c Release --logger trx --logger "console;verbosity=normal" --results-directory "$results" </dev/null
status=$?

# Totals over all test projects, from the <Counters .../> element of each TRX file.
passed=0 failed=0 skipped=0 files=0
count() { grep -o "<Counters [^>]*>" "$1" | grep -o " $2=\"[0-9]*\"" | grep -o "[0-9]\+" || echo 0; }
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    files=$((files + 1))
    passed=$((passed + $(count "$trx" passed)))
    failed=$((failed + $(count "$trx" failed) + $(count "$trx" error) + $(count "$trx" timeout) + $(count "$trx" aborted)))
    # The TRX logger counts skipped tests as neither executed nor notExecuted.
    skipped=$((skipped + $(count "$trx" total) - $(count "$trx" executed)))
done

if [ "$status" -ne 0 ] && [ "$files" -eq 0 ]; then
    echo "error: dotnet test failed (exit $status) before running tests: the build failed"
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "error: dotnet test failed (exit $status) with no failed test counted (crashed test host?)"
    failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
