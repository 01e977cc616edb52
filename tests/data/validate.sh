#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Validates the desktop integration files with the tools that distributions and Flathub use,
# and reports each check as a TAP test case so `make test` counts it.
#
# usage: validate.sh DESKTOP_FILE METAINFO_FILE SCHEMA_DIR FLATPAK_MANIFEST
set -uo pipefail

if (($# != 4)); then
  echo "usage: $0 DESKTOP_FILE METAINFO_FILE SCHEMA_DIR FLATPAK_MANIFEST" >&2
  exit 2
fi
desktop=$1
metainfo=$2
schemadir=$3
manifest=$4

n=0
failed=0

# report NAME STATUS OUTPUT: STATUS is 0 (pass), 77 (skip) or anything else (fail)
report ()
{
  local name=$1 status=$2 output=$3

  n=$((n + 1))
  if ((status == 0)); then
    echo "ok $n - $name"
  elif ((status == 77)); then
    echo "ok $n - $name # SKIP $output"
    return
  else
    echo "not ok $n - $name"
    failed=1
    if [[ -n $output ]]; then
      sed 's/^/# /' <<<"$output"
    fi
  fi
}

have ()
{
  command -v "$1" >/dev/null 2>&1
}

echo "1..4"

# 1. desktop-file-validate exits 0 on hints and some warnings: any output at all is a failure.
if have desktop-file-validate; then
  out=$(desktop-file-validate "$desktop" 2>&1)
  status=$?
  [[ $status -eq 0 && -n $out ]] && status=1
  report "desktop file" "$status" "$out"
else
  report "desktop file" 77 "desktop-file-validate is not installed (Debian: desktop-file-utils)"
fi

# 2. appstreamcli fails on errors and warnings; --no-net because tests never leave the machine.
#    AppStream 0.16 does not insist on what software centres (and Flathub) need, so check that too.
if have appstreamcli; then
  out=$(appstreamcli validate --no-net "$metainfo" 2>&1)
  status=$?
  for element in '<content_rating type="oars-1.1"' '<screenshot' '<release ' \
                 '<launchable type="desktop-id">' '<binary>assayctl</binary>'; do
    if ! grep -qF -- "$element" "$metainfo"; then
      out+=$'\n'"the metainfo has no $element"
      status=1
    fi
  done
  report "AppStream metainfo" "$status" "$out"
else
  report "AppStream metainfo" 77 "appstreamcli is not installed (Debian: appstream)"
fi

# 3. the GSettings schemas, exactly as strict as the build compiles them.
if have glib-compile-schemas; then
  out=$(glib-compile-schemas --strict --dry-run "$schemadir" 2>&1)
  report "GSettings schema" $? "$out"
else
  report "GSettings schema" 77 "glib-compile-schemas is not installed (Debian: libglib2.0-bin)"
fi

# 4. flatpak-builder only warns on unknown keys, so warnings fail too; the sandbox must keep
#    the permissions Assay needs for sync (network), playback (audio) and its window (display).
#    flatpak-builder leaves its state directory in the working directory: give it a scratch one.
if have flatpak-builder; then
  manifest=$(realpath -- "$manifest")
  scratch=$(mktemp -d)
  trap 'rm -rf -- "$scratch"' EXIT
  out=$(cd "$scratch" && flatpak-builder --show-manifest "$manifest" 2>&1 >/dev/null)
  status=$?
  if ((status == 0)) && [[ -n $out ]]; then
    status=1
  fi
  if ((status == 0)); then
    shown=$(cd "$scratch" && flatpak-builder --show-manifest "$manifest" 2>/dev/null)
    for arg in --share=network --socket=pulseaudio --socket=wayland --socket=fallback-x11 \
               --device=dri; do
      if ! grep -qF -- "\"$arg\"" <<<"$shown"; then
        out+="finish-args lacks $arg"$'\n'
        status=1
      fi
    done
    if ! grep -qE '"command" *: *"assay"' <<<"$shown"; then
      out+='the manifest does not run "assay"'$'\n'
      status=1
    fi
  fi
  report "Flatpak manifest" "$status" "${out%$'\n'}"
else
  report "Flatpak manifest" 77 "flatpak-builder is not installed (Debian: flatpak-builder)"
fi

exit $failed
