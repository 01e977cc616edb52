#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The rooms of the source tree and their doors, read from HACKING.md ("The rooms").

The two tables there are the one statement of which room may include which room and which
library. meson runs `rooms.py make HACKING.md SRC OUT` when it configures: OUT/<room>/ gets a
link to every room the room may include, and a header that stops the build with #error for each
header of a library it may not use. tests/rooms imports this module to check the build and the
sources against the same tables.
"""
import os
import re
import shutil
import sys


class Room:
    def __init__(self, name, sources, doors, libraries):
        self.name = name
        self.sources = sources        # "src/core" or a single file "src/store/assay-store-seed.c"
        self.doors = doors            # rooms it may include, itself not counted
        self.libraries = libraries    # pkg-config names it may use

    def may_include(self, room):
        return room == self.name or room in self.doors


def _tables(text):
    """The markdown tables of the section "## The rooms", as lists of rows (lists of cells)."""
    start = text.index('\n## The rooms')
    end = text.index('\n## ', start + 1)
    tables, current = [], []
    for line in text[start:end].splitlines():
        if line.startswith('|'):
            cells = [c.strip() for c in line.strip().strip('|').split('|')]
            if not all(re.fullmatch(r':?-+:?', c) for c in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def _names(cell):
    cell = cell.replace('`', '').strip()
    if cell in ('', '—', '-'):
        return []
    return [n.strip() for n in cell.split(',') if n.strip()]


def read(hacking_md):
    """(rooms, libraries): rooms by name; libraries maps a pkg-config name to its header
    patterns (a name ending in / matches every header under it; the first is the probe)."""
    with open(hacking_md, encoding='utf-8') as f:
        tables = _tables(f.read())
    rooms, libraries = {}, {}
    for table in tables:
        header = [h.lower() for h in table[0]]
        if header[:1] == ['room'] and 'may include rooms' in header:
            for row in table[1:]:
                name, sources, doors, libs = row[0], row[1], row[2], row[3]
                rooms[name] = Room(name, sources.replace('`', '').strip(), _names(doors),
                                   _names(libs))
        elif header == ['library', 'headers']:
            for row in table[1:]:
                libraries[row[0]] = _names(row[1])
    if not rooms or not libraries:
        raise SystemExit(f'{hacking_md}: no door table in "## The rooms"')
    for room in rooms.values():
        for door in room.doors:
            if door not in rooms:
                raise SystemExit(f'{hacking_md}: room {room.name} has a door to {door}, '
                                 'which is not a room of the table')
        for lib in room.libraries:
            if lib not in libraries:
                raise SystemExit(f'{hacking_md}: room {room.name} uses {lib}, '
                                 'which is not in the table of libraries')
    return rooms, libraries


def library_of(header, libraries):
    """The library a <header> belongs to, or None for the C library and GLib."""
    for lib, patterns in libraries.items():
        for pattern in patterns:
            if pattern.endswith('/') and header.startswith(pattern):
                return lib
            if header == pattern:
                return lib
    return None


def room_of(path, rooms):
    """The room a file under src/ belongs to (the most specific sources entry)."""
    best = None
    for room in rooms.values():
        src = room.sources.rstrip('/')
        if path == src or path.startswith(src + '/'):
            if best is None or len(src) > len(best.sources.rstrip('/')):
                best = room
    return best


def make(hacking_md, src_dir, out_dir):
    rooms, libraries = read(hacking_md)
    top_rooms = [r for r in rooms.values() if os.path.isdir(os.path.join(src_dir, r.name))]
    if os.path.lexists(out_dir):
        shutil.rmtree(out_dir)
    for room in rooms.values():
        base = os.path.join(out_dir, room.name)
        os.makedirs(base)
        for other in top_rooms:
            if room.may_include(other.name):
                os.symlink(os.path.join(src_dir, other.name), os.path.join(base, other.name))
        for lib, patterns in libraries.items():
            if lib in room.libraries:
                continue
            for pattern in patterns:
                if pattern.endswith('/'):
                    continue
                path = os.path.join(base, pattern)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, 'w', encoding='utf-8') as f:
                    f.write('/* Made by scripts/rooms.py from HACKING.md: do not edit. */\n'
                            f'#error "room {room.name} may not use {lib} (<{pattern}>): '
                            'see the door table in HACKING.md, The rooms"\n')
    print(' '.join(sorted(rooms)))


if __name__ == '__main__':
    if len(sys.argv) == 5 and sys.argv[1] == 'make':
        make(sys.argv[2], os.path.abspath(sys.argv[3]), os.path.abspath(sys.argv[4]))
    else:
        raise SystemExit('usage: rooms.py make HACKING.md SRC_DIR OUT_DIR')
