#!/usr/bin/env bash
# Make sure a Redis server answers on 127.0.0.1:6379 (the Celery broker of the worker tests).
# Starts Debian's redis-server when it is down; installs it when it is missing.
set -euo pipefail

answers() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG) 2>/dev/null; }

answers && exit 0

if ! command -v redis-server >/dev/null; then
  echo "Redis 未安装，正在从 Debian 软件源安装 redis-server …"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
fi

redis-server --port 6379 --bind 127.0.0.1 --daemonize yes --save '' --appendonly no >/dev/null
for _ in $(seq 1 30); do
  answers && exit 0
  sleep 1
done
echo "Redis 未能在 127.0.0.1:6379 启动" >&2
exit 1
