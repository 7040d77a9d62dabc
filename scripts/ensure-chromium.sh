#!/usr/bin/env bash
# Debian's Chromium and a CJK font for the tests that look at real screens (Playwright drives /usr/bin/chromium;
# a browser build is never downloaded). Installs the Debian packages when missing.
set -euo pipefail
fonts=$(fc-list 2>/dev/null || true)  # read whole: `fc-list | grep -q` fails under pipefail when grep stops early
if command -v chromium >/dev/null 2>&1 && grep -qi "CJK" <<<"$fonts"; then
  exit 0
fi
echo "安装 Chromium 和中文字体（Debian 软件包）…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-l10n fonts-noto-cjk >/dev/null
