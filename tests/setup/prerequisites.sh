#!/usr/bin/env bash
# Runs before `npm test` (the `pretest` script): finds what the tests need beyond node_modules —
# Chromium (browser tests, PDF), promtool (the generated alerting rules), poppler-utils (the evidence
# PDF), PostgreSQL on 127.0.0.1:5432 (the production store), Java 17 + Maven (the Kafka broker's jars)
# — installs what is missing where it can (Debian, as root), and otherwise stops with one message
# listing exactly what to install. Set WARDWATCH_SKIP_PREREQUISITES=1 to skip the check.
set -euo pipefail
cd "$(dirname "$0")/../.."

[ "${WARDWATCH_SKIP_PREREQUISITES:-}" = 1 ] && exit 0

say() { printf 'test prerequisites: %s\n' "$*" >&2; }

chromium_path="${WARDWATCH_CHROMIUM:-/usr/bin/chromium}"

# Debian package → whether it is missing.
packages=()
[ -x "$chromium_path" ] || packages+=(chromium)
command -v promtool >/dev/null 2>&1 || packages+=(prometheus)
command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)
command -v java >/dev/null 2>&1 || packages+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || packages+=(maven)
postgres_up() { command -v pg_isready >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q; }
if ! postgres_up && ! ls /etc/postgresql/*/main >/dev/null 2>&1; then packages+=(postgresql); fi

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

if [ "${#packages[@]}" -gt 0 ]; then
  if can_install; then
    say "installing ${packages[*]} (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  else
    say "missing: ${packages[*]}. Install them with: sudo apt-get install ${packages[*]}"
    exit 1
  fi
fi

if ! postgres_up; then
  if can_install && command -v pg_ctlcluster >/dev/null 2>&1; then
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    say "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 30); do postgres_up && break; sleep 1; done
  fi
  if ! postgres_up; then
    say "PostgreSQL does not answer on 127.0.0.1:5432: start it (e.g. sudo pg_ctlcluster <version> main start)"
    exit 1
  fi
fi

# The tests connect as postgres to database `test` with trust authentication on 127.0.0.1.
if ! psql -h 127.0.0.1 -U postgres -d test -Atqc 'select 1' >/dev/null 2>&1; then
  if psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    say "creating database test"
    psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database test' >/dev/null
  elif can_install; then
    # A fresh Debian cluster asks for passwords on TCP: allow trust on loopback, as the tests expect.
    hba="$(ls /etc/postgresql/*/main/pg_hba.conf | sort -V | tail -n 1)"
    say "allowing trust authentication on 127.0.0.1 in $hba"
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    version="$(basename "$(dirname "$(dirname "$hba")")")"
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    sleep 1
    psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1 from pg_database where datname = 'test'" | grep -q 1 ||
      psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database test' >/dev/null
  else
    say "cannot connect to PostgreSQL as postgres on 127.0.0.1:5432 without a password: allow trust on 127.0.0.1 and create a database named test"
    exit 1
  fi
fi

# The broker's jars come from Maven Central once, then from the local cache.
bash deploy/kafka/kafka.sh fetch
