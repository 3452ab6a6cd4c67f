#!/usr/bin/env bash
# The Debian packages zhifa uses: a browser for the browser tests, a CJK font and Pango for PDF documents,
# poppler-utils (pdftotext) for the tests, libmagic for upload type checks, ffmpeg (ffprobe) for audio/video
# metadata, gettext for the translation catalogue, openssl (the tests cross-check SM2/SM3 signatures with
# OpenSSL 3). Installs what is missing when run as root; otherwise says what to install. `--require` makes a
# missing package an error (CI).
set -u
packages=(chromium fonts-wqy-microhei poppler-utils libmagic1 gettext libpango-1.0-0 libpangoft2-1.0-0 ffmpeg openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "安装系统软件包：${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
  echo "系统软件包安装失败：${missing[*]}" >&2
else
  echo "缺少系统软件包：${missing[*]}（请以 root 运行：apt-get install ${missing[*]}）" >&2
fi
[ "${1:-}" = "--require" ] && exit 1
exit 0
