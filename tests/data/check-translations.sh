#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every user-visible string must be translated into each language of po/LINGUAS: the strings
# are extracted from po/POTFILES.in as xgettext sees them, merged into each .po, and any
# untranslated or fuzzy message fails that language. Prints TAP.
set -u
root=${1:?source root}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mapfile -t langs < <(grep -v '^#' "$root/po/LINGUAS" | tr ' ' '\n' | sed '/^\s*$/d')
echo "1..$(( ${#langs[@]} + 1 ))"

cd "$root"
grep -v '^#' po/POTFILES.in | sed '/^\s*$/d' > "$tmp/files"
missing=$(grep -rlIE '\b_\(|translatable="yes"' src resources data 2>/dev/null \
  | grep -vxFf "$tmp/files" || true)
if [[ -n $missing ]]; then
  echo "not ok 1 - every file with translatable strings is in po/POTFILES.in"
  echo "$missing" | sed 's/^/# missing: /'
else
  echo "ok 1 - every file with translatable strings is in po/POTFILES.in"
fi

if ! xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
     --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 -f "$tmp/files" -o "$tmp/assay.pot" 2> "$tmp/err"; then
  sed 's/^/# /' "$tmp/err"
fi

n=1
for lang in "${langs[@]}"; do
  n=$((n + 1))
  po="po/$lang.po"
  if [[ ! -f $po ]]; then
    echo "not ok $n - $lang: $po does not exist"
    continue
  fi
  msgmerge --quiet --no-fuzzy-matching "$po" "$tmp/assay.pot" -o "$tmp/$lang.po" 2> /dev/null
  stats=$(msgfmt --check --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
  if echo "$stats" | grep -qE 'untranslated|fuzzy' || ! msgfmt --check -o /dev/null "$tmp/$lang.po" 2>/dev/null; then
    echo "not ok $n - $lang: $stats"
    msgattrib --untranslated --no-wrap "$tmp/$lang.po" 2>/dev/null | grep '^msgid ' | head -n 20 | sed 's/^/# /'
  else
    echo "ok $n - $lang: $stats"
  fi
done
