#!/usr/bin/env bash
# Installs the system tools the test suite runs for real that npm cannot provide (Debian packages):
#   golang-go, gotestsum          `shipgate init`'s go collector, run on a sample Go module (test/init/)
#   python3-pytest, python3-coverage   `shipgate init`'s pytest collector, run on a sample Python project
#   prometheus                     promtool: `promtool check metrics` on /metrics and `promtool test rules` on
#                                  monitoring/prometheus/alerts.yml (test/server/metrics.test.ts)
#   chromium                       the headless browser the dashboard tests drive with playwright-core
#                                  (test/web/; never a downloaded browser)
#   postgresql-15 (or postgresql)  the server binaries (initdb, pg_ctl, postgres) of the throwaway PostgreSQL
#                                  cluster the store tests run against (scripts/pg-test-server.mjs)
# Idempotent: installs only what is missing, and does nothing when everything is there.
# Run as root (CI images), or with sudo available.
set -euo pipefail

packages=(golang-go gotestsum python3-pytest python3-coverage prometheus chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# The PostgreSQL server binaries, wherever scripts/pg-test-server.mjs looks for them.
has_postgres() {
  local dir
  for dir in /usr/lib/postgresql/*/bin "$(pg_config --bindir 2>/dev/null || true)" $(echo "${PATH}" | tr ':' ' '); do
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ] && return 0
  done
  return 1
}
need_postgres=0
has_postgres || need_postgres=1

if [ ${#missing[@]} -eq 0 ] && [ "$need_postgres" -eq 0 ]; then
  echo "ci-deps: all present (${packages[*]} postgresql)"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
if [ "$need_postgres" -eq 1 ]; then
  if apt-cache show postgresql-15 >/dev/null 2>&1; then missing+=(postgresql-15); else missing+=(postgresql); fi
fi
echo "ci-deps: installing ${missing[*]}"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Where systemd runs, Debian's prometheus package also starts a Prometheus server on :9090; the tests need only
# promtool (and start their own server on a free port), so that service is stopped and disabled.
if [[ " ${missing[*]} " == *" prometheus "* ]] && [ -d /run/systemd/system ]; then
  $sudo systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
