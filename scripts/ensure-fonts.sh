#!/usr/bin/env bash
# The CJK serif the official printouts are set in (Noto Serif CJK SC Regular and Bold: 宋体-style body, a
# 小标宋-style bold title), from Debian's fonts-noto-cjk. The sans face comes from PyPI (requirements.txt).
# kaowu.kernel.pdf reads them from KAOWU_SERIF_FONT_DIR (default /usr/share/fonts/opentype/noto).
set -euo pipefail
dir="${KAOWU_SERIF_FONT_DIR:-/usr/share/fonts/opentype/noto}"
if [ -f "$dir/NotoSerifCJK-Regular.ttc" ] && [ -f "$dir/NotoSerifCJK-Bold.ttc" ]; then
  exit 0
fi
echo "安装中文衬线字体（Debian 软件包 fonts-noto-cjk，公文打印件用）…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq fonts-noto-cjk >/dev/null
