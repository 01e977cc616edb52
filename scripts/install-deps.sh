#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages Assay needs to build, run and test, and the zh_CN / zh_TW
# locales. As root it installs what is missing; otherwise it prints the command to run.
set -euo pipefail

packages=(
  # build
  build-essential meson ninja-build pkg-config gettext
  libgtk-4-dev libadwaita-1-dev libsqlite3-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libopus-dev libogg-dev libmpg123-dev
  # run: playback and decoding
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-tools
  gstreamer1.0-plugins-base-apps
  # run: icons, fonts (CJK), settings, locales
  librsvg2-common fonts-dejavu-core fonts-wqy-microhei gsettings-desktop-schemas locales
  # demo recordings
  espeak-ng sox libsox-fmt-base
  # tests: display, desktop files, AppStream, Flatpak manifest, sanitizer runtime
  xvfb xauth dbus at-spi2-core appstream desktop-file-utils flatpak-builder sqlite3 python3
  # tests: accessibility walk, PDF read-back, iCalendar read-back, test CA, keyring
  python3-pyatspi poppler-utils python3-icalendar openssl gnome-keyring imagemagick
  # calendars (iCalendar export), central service on PostgreSQL behind a reverse proxy
  libical-dev libpq-dev postgresql-15 haproxy
  # central service: PBKDF2 password hashes
  nettle-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done

need_locales=()
for l in zh_CN zh_TW; do
  locale -a 2>/dev/null | grep -qix "$l.utf8" || need_locales+=("$l")
done

if ((${#missing[@]} == 0 && ${#need_locales[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "Assay needs Debian packages that are not installed. Run:" >&2
  if ((${#missing[@]})); then
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  fi
  if ((${#need_locales[@]})); then
    for l in "${need_locales[@]}"; do
      echo "  sudo sed -i 's/^# *\\($l.UTF-8 UTF-8\\)/\\1/' /etc/locale.gen" >&2
    done
    echo "  sudo locale-gen" >&2
  fi
  echo "then run the make command again." >&2
  exit 1
fi

if ((${#missing[@]})); then
  echo "Installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

locale -a 2>/dev/null | grep -qix 'zh_CN.utf8' && locale -a | grep -qix 'zh_TW.utf8' && exit 0
for l in zh_CN zh_TW; do
  if grep -q "^# *$l.UTF-8 UTF-8" /etc/locale.gen; then
    sed -i "s/^# *\($l.UTF-8 UTF-8\)/\1/" /etc/locale.gen
  elif ! grep -q "^$l.UTF-8 UTF-8" /etc/locale.gen; then
    echo "$l.UTF-8 UTF-8" >> /etc/locale.gen
  fi
done
locale-gen
