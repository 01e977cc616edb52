#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Holds the source tree and the build to the door table in HACKING.md ("The rooms"). TAP.

  check-rooms.py includes SOURCE_ROOT
      every #include in src/ against the table (and the checker against known violations), and
      no static function in src/ named with a library's prefix (gst_, json_, ...)
  check-rooms.py build SOURCE_ROOT BUILD_ROOT
      compiles one-line probes with each room's own compile command (compile_commands.json):
      an include of each room and each library compiles exactly when the table allows it, and
      no room's command carries the include paths of a library it may not use
  check-rooms.py app APP ASSAYCTL
      the app holds no demo code (nm), while assayctl does
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'scripts'))
import rooms as doors  # noqa: E402

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
# the prefixes of the libraries Assay uses: a static function named so reads as a library call
LIBRARY_PREFIXES = ('g_', 'gtk_', 'gdk_', 'gsk_', 'adw_', 'gst_', 'soup_', 'json_', 'sqlite3_',
                    'pango_', 'cairo_', 'graphene_', 'ogg_', 'opus_', 'mpg123_', 'PQ')
# GLib and the C library: every room
BASE_PACKAGES = ['glib-2.0', 'gobject-2.0', 'gio-2.0']


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, good, name, diagnostics=()):
        self.n += 1
        if not good:
            self.failed += 1
        print(f'{"ok" if good else "not ok"} {self.n} - {name}')
        for line in diagnostics if not good else ():
            print(f'# {line}')
        sys.stdout.flush()

    def done(self):
        print(f'1..{self.n}')
        return 1 if self.failed else 0


def top_rooms(src, rooms):
    """Rooms that are a directory of src/ (those an include can name: "core/...")."""
    return {r.name for r in rooms.values() if os.path.isdir(os.path.join(src, r.name))}


def violations(path, text, src, rooms, libraries):
    """What in @text (the file src/@path) the door table does not allow."""
    room = doors.room_of('src/' + path, rooms)
    if room is None:
        return [f'{path}: in no room of the table']
    named = top_rooms(src, rooms)
    own_dir = room.sources if os.path.isdir(os.path.join(src, '..', room.sources)) \
        else os.path.dirname(room.sources)
    own_dir = own_dir[len('src/'):] if own_dir.startswith('src/') else ''
    found = []
    for kind, header in INCLUDE.findall(text):
        first = header.split('/')[0]
        if kind == '<':
            lib = doors.library_of(header, libraries)
            if lib is not None and lib not in room.libraries:
                found.append(f'{path}: <{header}> is {lib}, which room {room.name} may not use')
        elif '/' in header and first in named:
            if not room.may_include(first):
                found.append(f'{path}: "{header}": room {room.name} may not include {first}')
            elif header.endswith('-private.h') and first != own_dir.split('/')[0]:
                found.append(f'{path}: "{header}" is private to room {first}')
        else:
            here = os.path.join(src, os.path.dirname(path), header)
            top = os.path.join(src, own_dir, header)
            if not os.path.exists(here) and not os.path.exists(top):
                found.append(f'{path}: "{header}" is no file of room {room.name}: '
                             'include another room by room ("core/assay-util.h")')
    return found


def borrowed_prefixes(path, text):
    """Static functions of @text whose names start with a library's prefix."""
    found, previous = [], ''
    for line in text.splitlines():
        name = None
        if line.startswith('static') and '(' in line:
            m = re.search(r'(\w+)\s*\(', line)
            name = m.group(1) if m else None
        elif previous.startswith('static') and '(' not in previous:
            m = re.match(r'(\w+) \(', line)
            name = m.group(1) if m else None
        if name and name.startswith(LIBRARY_PREFIXES):
            found.append(f'{path}: static {name} () borrows a library\'s prefix')
        previous = line
    return found


def check_includes(root):
    tap = Tap()
    src = os.path.join(root, 'src')
    rooms, libraries = doors.read(os.path.join(root, 'HACKING.md'))

    # the checker itself finds what it must
    probes = {
        'core/assay-probe.c': ('#include "store/assay-store.h"\n#include <sqlite3.h>\n', 2),
        'store/assay-probe.c': ('#include <gtk/gtk.h>\n#include "ui/assay-window.h"\n', 2),
        'ui/assay-probe.c': ('#include "demo/assay-demo.h"\n#include <gst/gst.h>\n', 2),
        'cli/assay-probe.c': ('#include "store/assay-store-private.h"\n', 1),
        'media/assay-probe.c': ('#include "assay-util.h"\n#include <json-glib/json-glib.h>\n', 2),
        'demo/assay-probe.c': ('#include "core/assay-util.h"\n#include <glib.h>\n', 0),
    }
    for path, (text, expected) in probes.items():
        found = violations(path, text, src, rooms, libraries)
        tap.ok(len(found) == expected, f'the check finds {expected} wrong includes in {path}',
               found)

    found = borrowed_prefixes('probe.c', 'static void\ngst_clear (Foo *self)\n'
                              'static gboolean json_filter (void);\nstatic int\nassay_ok (void)\n')
    tap.ok(len(found) == 2, 'the check finds static functions with a library\'s prefix', found)

    # every directory of src/ is a room of the table, and every room's sources are there
    dirs = {d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d))}
    unknown = sorted(dirs - top_rooms(src, rooms))
    tap.ok(not unknown, 'every directory of src/ is a room of the table',
           [f'src/{d} has no row in HACKING.md' for d in unknown])
    missing = sorted(r.sources for r in rooms.values()
                     if not os.path.exists(os.path.join(root, r.sources)))
    tap.ok(not missing, 'every room of the table is in src/', missing)

    for dirpath, _dirnames, filenames in sorted(os.walk(src)):
        for name in sorted(filenames):
            if not name.endswith(('.c', '.h')):
                continue
            path = os.path.relpath(os.path.join(dirpath, name), src)
            with open(os.path.join(src, path), encoding='utf-8') as f:
                text = f.read()
            found = violations(path, text, src, rooms, libraries) + borrowed_prefixes(path, text)
            tap.ok(not found, f'src/{path}', found)
    return tap.done()


def pkg_include_dirs(package):
    r = subprocess.run(['pkg-config', '--cflags-only-I', package], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return {t[2:] for t in shlex.split(r.stdout) if t.startswith('-I')}


def room_command(entries, room, rooms, src):
    """A compile command of one of the room's own sources, as an argument list for a probe."""
    for entry in entries:
        file = os.path.normpath(os.path.join(entry['directory'], entry['file']))
        if not file.startswith(src + '/'):
            continue
        src_rel = os.path.relpath(file, os.path.dirname(src))
        if doors.room_of(src_rel, rooms) is not room:
            continue
        args = entry['arguments'] if 'arguments' in entry else shlex.split(entry['command'])
        out, skip = [], False
        for a in args:
            if skip:
                skip = False
                continue
            if a in ('-o', '-MQ', '-MF', '-MT'):
                skip = True
                continue
            if a in ('-c', '-MD', '-MMD') or a == entry['file']:
                continue
            out.append(a)
        return entry['directory'], out, src_rel
    return None


def light_header(src, room, libraries):
    """A public header of @room whose own library includes are GLib only."""
    base = os.path.join(src, room)
    for name in sorted(os.listdir(base)):
        if not name.endswith('.h') or name.endswith('-private.h'):
            continue
        with open(os.path.join(base, name), encoding='utf-8') as f:
            text = f.read()
        if all(kind == '"' or doors.library_of(h, libraries) is None
               for kind, h in INCLUDE.findall(text)):
            return f'{room}/{name}'
    return None


def check_build(root, build):
    tap = Tap()
    src = os.path.join(root, 'src')
    rooms, libraries = doors.read(os.path.join(root, 'HACKING.md'))
    with open(os.path.join(build, 'compile_commands.json'), encoding='utf-8') as f:
        entries = json.load(f)
    installed = {lib: pkg_include_dirs(lib) for lib in libraries}
    base_dirs = set()
    for package in BASE_PACKAGES:
        base_dirs |= pkg_include_dirs(package) or set()

    jobs = []
    for room in rooms.values():
        found = room_command(entries, room, rooms, src)
        tap.ok(found is not None, f'room {room.name} has a compile command',
               [] if found else [f'no source of {room.sources} in compile_commands.json'])
        if found is None:
            continue
        directory, args, source = found

        # include paths of the libraries the room may not use
        allowed_dirs = set(base_dirs)
        for lib in room.libraries:
            allowed_dirs |= installed.get(lib) or set()
        given = {os.path.normpath(a[2:]) for a in args if a.startswith('-I')}
        leaks = []
        for lib, dirs in installed.items():
            if lib in room.libraries or not dirs:
                continue
            for d in sorted(dirs - allowed_dirs):
                if os.path.normpath(d) in given:
                    leaks.append(f'{source} compiles with -I{d} of {lib}')
        tap.ok(not leaks, f'room {room.name}: no include path of a library it may not use',
               leaks)

        for other in sorted(top_rooms(src, rooms)):
            header = light_header(src, other, libraries)
            if header is not None:
                jobs.append((room, directory, args, f'"{header}"', room.may_include(other)))
        for lib, patterns in libraries.items():
            probe = next(p for p in patterns if not p.endswith('/'))
            allowed = lib in room.libraries
            if allowed and installed[lib] is None:
                continue   # not installed here: nothing to compile against
            jobs.append((room, directory, args, f'<{probe}>', allowed))

    with tempfile.TemporaryDirectory() as tmp:
        def compile_probe(job):
            room, directory, args, include, allowed = job
            probe = os.path.join(tmp, f'probe-{room.name}-{abs(hash(include))}.c')
            with open(probe, 'w', encoding='utf-8') as f:
                f.write(f'#include {include}\n')
            r = subprocess.run(args + ['-fsyntax-only', '-fdiagnostics-color=never', probe], cwd=directory,
                               capture_output=True, text=True)
            return job, r

        with ThreadPoolExecutor(max_workers=2) as pool:
            for (room, _d, _a, include, allowed), r in pool.map(compile_probe, jobs):
                name = include.strip('"<>')
                if allowed:
                    tap.ok(r.returncode == 0, f'room {room.name} may include {include}',
                           r.stderr.splitlines()[:5])
                else:
                    # fails, and for the reason: the poisoned header or a missing path
                    why = r.returncode != 0 and ('may not use' in r.stderr
                                                 or 'No such file' in r.stderr) \
                        and name.split('/')[-1] in r.stderr
                    tap.ok(why, f'room {room.name} may not include {include}',
                           r.stderr.splitlines()[:5] or ['it compiled'])
    return tap.done()


def symbols(binary):
    r = subprocess.run(['nm', '--defined-only', binary], capture_output=True, text=True,
                       check=True)
    return [line.split()[-1] for line in r.stdout.splitlines() if line.strip()]


def check_app(app, assayctl):
    tap = Tap()
    demo = re.compile(r'^(assay_demo_|assay_store_seed_|assay_seed_)')
    ctl = [s for s in symbols(assayctl) if demo.match(s)]
    tap.ok('assay_demo_new' in ctl and 'assay_store_seed_sync' in ctl,
           'assayctl holds the demo generator and the seed writer (the check can see them)')
    held = [s for s in symbols(app) if demo.match(s)]
    tap.ok(not held, 'the app holds no demo code', held[:10])
    return tap.done()


def main(argv):
    if len(argv) == 3 and argv[1] == 'includes':
        return check_includes(os.path.abspath(argv[2]))
    if len(argv) == 4 and argv[1] == 'build':
        return check_build(os.path.abspath(argv[2]), os.path.abspath(argv[3]))
    if len(argv) == 4 and argv[1] == 'app':
        return check_app(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
