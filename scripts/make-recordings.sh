#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Turns the written demo dialogues into stereo call recordings: the agent on the left channel
# (channel 0), the customer on the right (channel 1), 16 kHz 16-bit PCM WAV, spoken by espeak-ng
# and laid out on a timeline by sox.
#
#   scripts/make-recordings.sh OUTDIR [DIALOGUE.txt...]
#
# With no DIALOGUE it renders every data/demo/dialogues/*.txt. For each NAME.txt it writes
# OUTDIR/NAME.wav, OUTDIR/NAME.meta (a key file read by `assayctl seed`: title, language, queue,
# agent, hold and total seconds) and OUTDIR/NAME.vtt, the call's transcript (WebVTT with voice tags
# <v Agent> and <v Customer>, docs/transcripts.md) with the times each line was laid at on the
# recording. A recording newer than its dialogue and this script is left alone.
# Dialogues are rendered in parallel (ASSAY_JOBS, default: the number of CPUs).
#
# Other modes, for the build: `--stamp FILE OUTDIR` touches FILE when done, and
# `--install SRCDIR RELDIR` copies rendered files to $MESON_INSTALL_DESTDIR_PREFIX/RELDIR.
#
# Dialogue format, one item a line ('#' starts a comment line, blank lines are ignored):
#
#   @title TEXT            what the call is about (goes to the .meta file)
#   @lang en|zh            language of the call
#   @queue NAME            the phone queue the call belongs to (Billing, 技术支持, ...)
#   @agent-name NAME       the demo agent who takes the call (Emily Carter, 刘洋, ...)
#   @agent VOICE [PITCH [SPEED [AMPLITUDE]]]     espeak-ng voice for the agent, e.g. en-us+f3 58 165
#   @customer VOICE [PITCH [SPEED [AMPLITUDE]]]  the same for the customer
#                          (Mandarin: use cmn-latn-pinyin+VARIANT, which reads Chinese characters;
#                          plain `cmn` in espeak-ng 1.51 reads their pinyin digits in English)
#   A: TEXT                the agent says TEXT
#   C: TEXT                the customer says TEXT
#   PAUSE SECONDS          dead air: nobody speaks for SECONDS before the next line
#   HOLD SECONDS           the customer is on hold: a soft beep every 4 s on both channels
#   OVERLAP [SECONDS]      the next line starts SECONDS (default 1.0) before the previous line
#                          ends (over-talk); only between different speakers
#
# Between lines there is a natural gap (0.35-0.9 s between speakers, 0.25-0.45 s for the same
# speaker), the same on every run. A faint noise floor (about -60 dBFS) makes it sound like a line.
set -euo pipefail

self=$(readlink -f "${BASH_SOURCE[0]}")
root=$(dirname "$(dirname "$self")")
rate=22050          # espeak-ng's own rate; the timeline is laid out in its samples
out_rate=16000

die () { echo "make-recordings: $*" >&2; exit 1; }

need_tools () {
  local t
  for t in espeak-ng sox soxi; do
    command -v "$t" >/dev/null 2>&1 \
      || die "$t is not installed (Debian: apt-get install espeak-ng sox libsox-fmt-base)"
  done
}

trim () {
  local s=$1
  s=${s#"${s%%[![:space:]]*}"}
  s=${s%"${s##*[![:space:]]}"}
  printf '%s' "$s"
}

is_number () { [[ $1 =~ ^[0-9]+([.][0-9]+)?$ ]]; }

render_one () {
  local src=$1 outdir=$2
  local name out meta tmp
  name=$(basename "$src" .txt)
  out="$outdir/$name.wav"
  meta="$outdir/$name.meta"
  vtt="$outdir/$name.vtt"

  if [[ -f $out && -f $meta && -f $vtt && $out -nt $src && $out -nt $self ]]; then
    return 0
  fi
  [[ -r $src ]] || die "cannot read $src"

  tmp=$(mktemp -d "${TMPDIR:-/tmp}/assay-recording-XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT

  local title=$name lang=en queue='' agent_name=''
  local -a agent_voice=(en-us 50 165 100) customer_voice=(en-gb 40 160 100)
  local lineno=0 n=0 raw line spk text hold_total=0
  local -a v

  : > "$tmp/events"
  while IFS= read -r raw || [[ -n $raw ]]; do
    lineno=$((lineno + 1))
    line=$(trim "${raw%$'\r'}")
    case $line in
      '' | '#'*) ;;
      '@title '*) title=$(trim "${line#@title}") ;;
      '@lang '*) lang=$(trim "${line#@lang}") ;;
      '@queue '*) queue=$(trim "${line#@queue}") ;;
      '@agent-name '*) agent_name=$(trim "${line#@agent-name}") ;;
      '@agent '* | '@customer '*)
        read -r -a v <<<"${line#@* }"
        [[ ${#v[@]} -ge 1 ]] || die "$src:$lineno: a voice is missing"
        for x in "${v[@]:1}"; do
          is_number "$x" || die "$src:$lineno: '$x' is not a number (VOICE PITCH SPEED AMPLITUDE)"
        done
        v=("${v[0]}" "${v[1]:-50}" "${v[2]:-165}" "${v[3]:-100}")
        if [[ $line == @agent* ]]; then agent_voice=("${v[@]}"); else customer_voice=("${v[@]}"); fi
        ;;
      A:* | C:*)
        spk=${line:0:1}
        text=$(trim "${line:2}")
        [[ -n $text ]] || die "$src:$lineno: the line says nothing"
        n=$((n + 1))
        printf '%s\n' "$text" > "$tmp/u$n.txt"
        if [[ $spk == A ]]; then v=("${agent_voice[@]}"); else v=("${customer_voice[@]}"); fi
        espeak-ng -v "${v[0]}" -p "${v[1]}" -s "${v[2]}" -a "${v[3]}" -w "$tmp/u$n.wav" \
          -f "$tmp/u$n.txt" || die "$src:$lineno: espeak-ng failed (voice ${v[0]})"
        echo "U $spk $(soxi -s "$tmp/u$n.wav") $tmp/u$n.wav" >> "$tmp/events"
        ;;
      PAUSE*)
        text=$(trim "${line#PAUSE}")
        is_number "$text" || die "$src:$lineno: PAUSE needs seconds, e.g. PAUSE 4.0"
        echo "P $text" >> "$tmp/events"
        ;;
      HOLD*)
        text=$(trim "${line#HOLD}")
        is_number "$text" || die "$src:$lineno: HOLD needs seconds, e.g. HOLD 20"
        echo "H $text" >> "$tmp/events"
        hold_total=$(awk -v a="$hold_total" -v b="$text" 'BEGIN { printf "%g", a + b }')
        ;;
      OVERLAP*)
        text=$(trim "${line#OVERLAP}")
        [[ -z $text ]] && text=1.0
        is_number "$text" || die "$src:$lineno: OVERLAP takes seconds, e.g. OVERLAP 1.2"
        echo "O $text" >> "$tmp/events"
        ;;
      *) die "$src:$lineno: cannot read this line (expected A:, C:, PAUSE, HOLD, OVERLAP or @...)" ;;
    esac
  done < "$src"
  ((n > 0)) || die "$src: the dialogue has no lines"

  # The timeline, in samples. Each channel is its utterances concatenated, with silence inserted
  # before each one by sox's `pad LENGTH@POSITION` (positions count the unpadded input).
  awk -v rate="$rate" -v dir="$tmp" '
    function rnd() { seed = (seed * 16807) % 2147483647; return seed / 2147483647 }
    function add(ch, start, file, len) {
      pad[ch] = pad[ch] " " (start - chan_end[ch]) "s@" (chan_pos[ch] + 0) "s"
      print file > (dir "/" ch ".files")
      chan_pos[ch] += len
      chan_end[ch] = start + len
    }
    BEGIN { seed = 20240611; cursor = int(0.8 * rate); pause = -1; overlap = -1; last = "" }
    $1 == "P" { pause = int($2 * rate); next }
    $1 == "O" { overlap = int($2 * rate); next }
    $1 == "H" {
      len = int($2 * rate); start = cursor + int(0.5 * rate); holds++
      print holds, len > (dir "/holds")
      add("A", start, "HOLD" holds, len); add("C", start, "HOLD" holds, len)
      cursor = start + len; pause = -1; overlap = -1; last = ""
      next
    }
    $1 == "U" {
      spk = $2; len = $3 + 0
      if (overlap >= 0 && last != "" && spk != last) {
        ov = overlap; if (ov > last_len - int(0.3 * rate)) ov = last_len - int(0.3 * rate)
        if (ov < 0) ov = 0
        start = last_end - ov
      } else if (pause >= 0) start = cursor + pause
      else if (spk == last) start = cursor + int((0.25 + 0.2 * rnd()) * rate)
      else start = cursor + int((0.35 + 0.55 * rnd()) * rate)
      if (spk in chan_end && start < chan_end[spk] + int(0.1 * rate))
        start = chan_end[spk] + int(0.1 * rate)
      add(spk, start, $4, len)
      print spk, start, len > (dir "/cues")
      last = spk; last_len = len; last_end = start + len
      if (last_end > cursor) cursor = last_end
      pause = -1; overlap = -1
    }
    END {
      total = cursor + int(1.0 * rate)
      longest = chan_end["A"] > chan_end["C"] ? chan_end["A"] : chan_end["C"]
      print total, total - longest > (dir "/total")
      print pad["A"] > (dir "/A.pad"); print pad["C"] > (dir "/C.pad")
    }' "$tmp/events"

  local total tail idx len ch
  read -r total tail < "$tmp/total"
  if [[ -f $tmp/holds ]]; then
    while read -r idx len; do
      # a 0.2 s beep at about -34 dBFS every 4 s: the hold reminder tone many switches play
      sox -r "$rate" -c 1 -n -b 16 "$tmp/beep.wav" synth 0.2 sine 440 vol 0.02 pad 0 3.8
      sox "$tmp/beep.wav" "$tmp/HOLD$idx.wav" repeat $((len / (4 * rate) + 1)) trim 0 "${len}s"
    done < "$tmp/holds"
  fi

  local -a files pad_args
  for ch in A C; do
    if [[ -f $tmp/$ch.files ]]; then
      mapfile -t files < "$tmp/$ch.files"
      for i in "${!files[@]}"; do
        [[ ${files[$i]} == HOLD* ]] && files[$i]="$tmp/${files[$i]}.wav"
      done
      read -r -a pad_args < "$tmp/$ch.pad"
      sox "${files[@]}" -r "$rate" -c 1 -b 16 "$tmp/$ch.wav" pad "${pad_args[@]}" vol 0.7
    else
      sox -r "$rate" -c 1 -n -b 16 "$tmp/$ch.wav" trim 0 "${total}s"
    fi
  done

  # stereo (sox -M pads the shorter channel), a second of tail, then the noise floor
  sox -M "$tmp/A.wav" "$tmp/C.wav" -c 2 "$tmp/timed.wav" pad 0 "${tail}s"
  sox -r "$rate" -c 2 -n -b 16 "$tmp/noise.wav" synth "${total}s" whitenoise vol 0.0015
  sox -m -v 1 "$tmp/timed.wav" -v 1 "$tmp/noise.wav" -r "$out_rate" -b 16 -c 2 "$tmp/out.wav"

  # the transcript: each line at the samples it was laid at (the 16 kHz output keeps the times)
  {
    echo "WEBVTT - $title"
    local cue=0 start len voice line_text
    while read -r spk start len; do
      cue=$((cue + 1))
      if [[ $spk == A ]]; then voice=Agent; else voice=Customer; fi
      line_text=$(<"$tmp/u$cue.txt")
      line_text=${line_text//&/&amp;}
      line_text=${line_text//</&lt;}
      line_text=${line_text//>/&gt;}
      echo
      echo "$cue"
      awk -v s="$start" -v l="$len" -v rate="$rate" 'function t(x,  ms) {
          ms = int(x * 1000 / rate + 0.5)
          return sprintf("%02d:%02d:%02d.%03d", int(ms / 3600000), int(ms / 60000) % 60,
                         int(ms / 1000) % 60, ms % 1000) }
        BEGIN { print t(s) " --> " t(s + l) }'
      echo "<v $voice>$line_text"
    done < "$tmp/cues"
  } > "$tmp/out.vtt"

  local duration
  duration=$(soxi -D "$tmp/out.wav")
  {
    echo "# written by scripts/make-recordings.sh from $(basename "$src")"
    echo "[Recording]"
    echo "Title=$title"
    echo "Language=$lang"
    [[ -n $queue ]] && echo "Queue=$queue"
    [[ -n $agent_name ]] && echo "Agent=$agent_name"
    echo "HoldSeconds=$hold_total"
    echo "DurationSeconds=$duration"
  } > "$tmp/out.meta"

  mkdir -p "$outdir"
  mv -f "$tmp/out.meta" "$meta"
  mv -f "$tmp/out.vtt" "$vtt"
  mv -f "$tmp/out.wav" "$out"
  printf '%s: %.1f s\n' "$name.wav" "$duration"
}

install_files () {
  local src=$1 rel=$2 dest
  [[ -n ${MESON_INSTALL_DESTDIR_PREFIX:-} ]] || die "--install runs from meson install"
  dest="$MESON_INSTALL_DESTDIR_PREFIX/$rel"
  shopt -s nullglob
  local -a files=("$src"/*.wav "$src"/*.meta "$src"/*.vtt)
  ((${#files[@]})) || exit 0
  mkdir -p "$dest"
  install -m 0644 "${files[@]}" "$dest/"
}

usage () {
  echo "Usage: $0 OUTDIR [DIALOGUE.txt...]" >&2
  echo "       $0 --stamp FILE OUTDIR [DIALOGUE.txt...]" >&2
  exit 2
}

stamp=''
case ${1:-} in
  --render-one)
    [[ $# -eq 3 ]] || usage
    render_one "$3" "$2"
    exit 0
    ;;
  --install)
    [[ $# -eq 3 ]] || usage
    install_files "$2" "$3"
    exit 0
    ;;
  --stamp)
    [[ $# -ge 3 ]] || usage
    stamp=$2
    shift 2
    ;;
  -h | --help | '') usage ;;
esac

outdir=$1
shift
need_tools
if (($# == 0)); then
  shopt -s nullglob
  set -- "$root"/data/demo/dialogues/*.txt
  (($# > 0)) || die "no dialogues in $root/data/demo/dialogues"
fi
for f in "$@"; do
  [[ -r $f ]] || die "cannot read the dialogue $f"
done
mkdir -p "$outdir"

jobs=${ASSAY_JOBS:-$(nproc 2>/dev/null || echo 2)}
printf '%s\0' "$@" | xargs -0 -n 1 -P "$jobs" "$self" --render-one "$outdir" \
  || die "some recordings could not be made"

if [[ -n $stamp ]]; then
  touch "$stamp"
fi
