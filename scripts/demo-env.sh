#!/usr/bin/env bash
# The demo's own settings (make run, make worker, screenshots): DEBUG off as in production, plain http on
# 127.0.0.1, and random keys made once per machine in var/demo.env (never a constant from the source).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
if [ ! -s var/demo.env ]; then
  umask 077
  key() { python3 -c 'import secrets; print(secrets.token_urlsafe(50))'; }
  {
    echo "SECRET_KEY=$(key)"
    echo "TICKET_SIGNING_KEY=$(key)"
    echo "AUDIT_HMAC_KEY=$(key)"
  } > var/demo.env
fi
