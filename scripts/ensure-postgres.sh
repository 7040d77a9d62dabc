#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 with trust auth for user postgres.
# Starts the machine's cluster when it is down; installs Debian's postgresql when it is missing.
set -euo pipefail

answers() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if command -v pg_isready >/dev/null && answers; then
  exit 0
fi

if ! command -v pg_ctlcluster >/dev/null; then
  echo "PostgreSQL 未安装，正在从 Debian 软件源安装 postgresql …"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  version=$(ls /etc/postgresql | sort -V | tail -1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  # Local test server only: trust connections from this machine, as the project's machines provide.
  sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(local\s+all\s+postgres\s+)\S+/\1trust/' "$hba"
fi

version=$(ls /etc/postgresql | sort -V | tail -1)
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do
  answers && exit 0
  sleep 1
done
echo "PostgreSQL 未能在 127.0.0.1:5432 启动" >&2
exit 1
