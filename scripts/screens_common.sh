# Shared by the screenshot scripts (sourced, not run): a throw-away SQLite database with the demo data, a dev
# server for static files and public pages, and headless Chromium (Debian's package, installed if missing)
# taking one PNG per line of $WORK/pages.txt ("name|kind|target|width|height", or "name|kind|target|height" at
# 1366 px wide; kind "file" loads saved HTML, "live" a server URL).
#
# Usage: screens_start <subfolder of ./screenshots or ""> <port>; then write $WORK/pages.txt; then screens_shoot.

screens_start() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  ROOT=$(pwd)
  PY=${PYTHON:-$ROOT/.venv/bin/python}
  PORT=${SCREENSHOT_PORT:-$2}
  OUT=$ROOT/screenshots${1:+/$1}
  WORK=$(mktemp -d /tmp/kaowu-screens.XXXXXX)
  export DATABASE_URL="sqlite:///$WORK/screens.sqlite3"
  export DJANGO_SETTINGS_MODULE=kaowu.settings
  # The demo's settings (scripts/demo-env.sh): DEBUG off, plain http, its own keys; static files collected.
  bash scripts/demo-env.sh
  set -a && . var/demo.env && set +a
  export DEBUG=false HTTPS=false
  SERVER_PID=""
  trap 'if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT

  # Chromium, a CJK font, and Chromium's Chinese locale (so date inputs read 年/月/日 as in an office).
  if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "CJK" \
    || [ ! -e /usr/lib/chromium/locales/zh-CN.pak ]; then
    echo "安装 Chromium、中文字体和 Chromium 中文语言包（Debian 软件包）…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-l10n fonts-noto-cjk >/dev/null
  fi

  "$PY" manage.py migrate --noinput -v0
  "$PY" manage.py collectstatic --noinput -v0
  "$PY" manage.py seed_demo >/dev/null
  "$PY" manage.py runserver "127.0.0.1:$PORT" --noreload >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 50); do
    if "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/login/')" 2>/dev/null; then
      break
    fi
    sleep 0.2
  done
  mkdir -p "$OUT" "$WORK/html"
}

screens_shoot() {
  rm -f "$OUT"/*.png
  while IFS='|' read -r name kind target width height; do
    if [ -z "$height" ]; then height=$width; width=1366; fi
    url=$target
    if [ "$kind" = "file" ]; then url="file://$target"; fi
    profile=$(mktemp -d "$WORK/chrome.XXXXXX")
    LANGUAGE=zh_CN LANG=zh_CN.UTF-8 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars --lang=zh-CN \
      --user-data-dir="$profile" --window-size="$width,$height" --screenshot="$OUT/$name.png" "$url" \
      >/dev/null 2>&1
    echo "  $OUT/$name.png"
  done <"$WORK/pages.txt"
  echo "截图已保存到 $OUT/"
}
