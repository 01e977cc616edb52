#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real app seen through the accessibility bus, as a screen reader sees it.

Seeds a small demo centre, starts `assay` on it with the AT-SPI bridge on (the script unsets
test_env's GTK_A11Y=none and runs itself under dbus-run-session), then:
  - selects every place of the sidebar through AT-SPI alone and walks the page's accessible tree:
    every control a user can act on (button, toggle, check, entry, slider, combo, menu item, tab,
    interactive list item) must have a name, else the case fails and names its path;
  - presses Alt+N for every place (keys synthesised through the AT-SPI registry) and checks that
    keyboard focus is inside the page afterwards.

Prints TAP. Every wait polls with a deadline; nothing sleeps to synchronise.
Usage: a11y-walk.py ASSAY ASSAYCTL (it runs itself under dbus-run-session)
"""
import os
import re
import subprocess
import sys
import tempfile
import time

import pyatspi

WAIT_S = 30.0
POLL_S = 0.05

# roles a user acts on: each needs a name
CONTROL_ROLES = {
    pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_ENTRY, pyatspi.ROLE_PASSWORD_TEXT,
    pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_SLIDER, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_MENU,
    pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM, pyatspi.ROLE_RADIO_MENU_ITEM,
    pyatspi.ROLE_PAGE_TAB, pyatspi.ROLE_SWITCH if hasattr(pyatspi, 'ROLE_SWITCH') else -1,
}
# list items count when they can be focused (a row the user moves to and opens)
ITEM_ROLES = {pyatspi.ROLE_LIST_ITEM, pyatspi.ROLE_TABLE_ROW}
# GTK 4.8 reports a widget without a name by its type name ("GtkImage", "GtkMenuButton")
PAGE_NAME = re.compile(r'^Assay[A-Za-z]+Page$')
TYPE_NAME = re.compile(r'^(Gtk|Adw|Assay)[A-Z][A-Za-z]*$')

n_case = 0
pages_stack = None
failed = 0


def tap(ok, what, detail=()):
    global n_case, failed
    n_case += 1
    if not ok:
        failed += 1
    print(f"{'ok' if ok else 'not ok'} {n_case} - {what}", flush=True)
    for line in detail:
        print(f'# {line}', flush=True)


def wait_until(test, what, timeout=WAIT_S):
    """Polls test() until it returns something true, at most timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = test()
        except Exception:  # an object that went away while the tree changed: ask again
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f'waited {timeout:.0f} s for {what}')
        time.sleep(POLL_S)


def children(acc):
    acc.clear_cache()
    for i in range(acc.childCount):
        child = acc.getChildAtIndex(i)
        if child is not None:
            yield child


def states(acc):
    return acc.getState()


def named(acc):
    name = (acc.name or '').strip()
    return name != '' and not TYPE_NAME.match(name)


def descendants(acc, skip_hidden=True):
    """Depth-first, the accessible and its descendants that are visible."""
    stack = [acc]
    while stack:
        node = stack.pop()
        try:
            st = states(node)
        except Exception:
            continue
        if skip_hidden and node is not acc and not st.contains(pyatspi.STATE_VISIBLE):
            continue
        yield node
        stack.extend(reversed(list(children(node))))


def find(root, pred):
    for node in descendants(root):
        try:
            if pred(node):
                return node
        except Exception:
            continue
    return None


def path_of(node, root):
    parts = []
    while node is not None and node != root:
        parts.append(f'{node.getRoleName()}:{node.name!r}')
        node = node.parent
    return ' < '.join(parts)


def is_control(node):
    role = node.getRole()
    if role in CONTROL_ROLES:
        return True
    return role in ITEM_ROLES and states(node).contains(pyatspi.STATE_FOCUSABLE)


def unnamed_controls(root):
    """Controls without a name under root. Two things GTK 4.8 cannot name are judged by what
    a screen reader reads instead: a row of a GtkListView/GtkColumnView (no API to label it
    before GTK 4.12) must hold a named descendant, and the button inside a named drop-down is
    announced with the drop-down."""
    bad = []
    for node in descendants(root):
        try:
            if not is_control(node) or named(node):
                continue
            parent = node.parent
            if node.getRole() in ITEM_ROLES and is_list_view(parent):
                if any(named(d) for d in descendants(node) if d is not node):
                    continue
            if parent is not None and parent.getRole() == pyatspi.ROLE_COMBO_BOX and named(parent):
                continue
            bad.append(path_of(node, root))
        except Exception:
            continue
    return bad


def is_list_view(node):
    """A GtkListView or GtkColumnView (their rows carry the list's actions)."""
    while node is not None and node.getRole() in (pyatspi.ROLE_TABLE_ROW,):
        node = node.parent
    if node is None:
        return False
    if node.getRole() in (pyatspi.ROLE_TABLE, pyatspi.ROLE_TREE_TABLE):
        return True  # only GtkColumnView has these roles in GTK 4.8
    if node.getRole() != pyatspi.ROLE_LIST:
        return False
    try:
        action = node.queryAction()
        return any(action.getName(i) == 'list.select-all' for i in range(action.nActions))
    except NotImplementedError:
        return False


# X keycodes of Xvfb's default (evdev) keymap
KEYCODES = {'Alt': 64, '1': 10, '2': 11, '3': 12, '4': 13, '5': 14, '6': 15,
            '7': 16, '8': 17, '9': 18}


def press_keys(*names):
    """Keys pressed together, through the AT-SPI registry (it synthesises them on the X server),
    as a user at the keyboard."""
    for name in names:
        pyatspi.Registry.generateKeyboardEvent(KEYCODES[name], None, pyatspi.KEY_PRESS)
    for name in reversed(names):
        pyatspi.Registry.generateKeyboardEvent(KEYCODES[name], None, pyatspi.KEY_RELEASE)


def focused_in(root):
    return find(root, lambda n: states(n).contains(pyatspi.STATE_FOCUSED))


def in_session():
    """Runs this script again inside its own D-Bus session (where the accessibility bus
    starts), with the bridge on that test_env turns off for the other tests."""
    with tempfile.TemporaryDirectory(prefix='assay-a11y-') as tmp:
        env = dict(os.environ)
        env.pop('GTK_A11Y', None)
        env.pop('NO_AT_BRIDGE', None)
        env['XDG_RUNTIME_DIR'] = tmp
        os.chmod(tmp, 0o700)
        # the accessibility registry the session bus starts writes a line to its stdout,
        # which is this test's TAP stream: the script's own TAP goes through a file instead
        tap_path = os.path.join(tmp, 'tap')
        env['ASSAY_A11Y_TAP'] = tap_path
        run = subprocess.run(['dbus-run-session', '--', sys.executable, __file__, '--in-session',
                              tmp] + sys.argv[1:], env=env, timeout=900,
                             stdout=subprocess.DEVNULL)
        if os.path.exists(tap_path):
            with open(tap_path, encoding='utf-8') as f:
                sys.stdout.write(f.read())
        else:
            print('Bail out! the walk wrote no results')
            return 1
        return run.returncode


def main():
    tmp, assay, assayctl = sys.argv[2], sys.argv[3], sys.argv[4]
    database = os.path.join(tmp, 'a11y.db')
    env = dict(os.environ)

    seed = subprocess.run([assayctl, '--database', database, 'seed', '--interactions', '200'],
                          env=env, capture_output=True, text=True, timeout=120)
    tap(seed.returncode == 0, 'assayctl seed makes a small centre',
        seed.stderr.splitlines()[-5:] if seed.returncode else ())
    if seed.returncode != 0:
        return 1

    app_proc = subprocess.Popen([assay, '--database', database], env=env)
    try:
        return run(app_proc)
    finally:
        app_proc.terminate()
        try:
            app_proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app_proc.kill()
            app_proc.wait()


def find_app(pid):
    for app in pyatspi.Registry.getDesktop(0):
        if app is not None and app.get_process_id() == pid:
            return app
    return None


def run(app_proc):
    try:
        app = wait_until(lambda: find_app(app_proc.pid), 'the app on the accessibility bus')
        frame = wait_until(lambda: find(app, lambda n: n.getRole() == pyatspi.ROLE_FRAME),
                           'the window')
        places = wait_until(lambda: find(frame, lambda n: n.getRole() == pyatspi.ROLE_LIST
                                         and n.name == 'Places'
                                         and n.childCount > 0), 'the sidebar')
        tap(True, 'the window and its sidebar are on the accessibility bus')
    except TimeoutError as e:
        tap(False, 'the window and its sidebar are on the accessibility bus', [str(e)])
        return 1

    rows = [r for r in children(places) if r.getRole() == pyatspi.ROLE_LIST_ITEM]
    names = [r.name for r in rows]
    tap(len(rows) >= 5 and all(named(r) for r in rows),
        f'every place of the sidebar has a name ({", ".join(names)})')

    selection = places.querySelection()
    previous = None
    for index, name in enumerate(names):
        try:
            selection.selectChild(index)
            page_root = wait_until(lambda: shown_page(frame, previous), f'the page {name}')
            previous = page_root.name
            tap(True, f'{name}: selecting the place shows its page ({page_root.name})')
        except TimeoutError as e:
            tap(False, f'{name}: selecting the place shows its page', [str(e)])
            continue
        # once the page has loaded (its spinners gone), walk it
        try:
            wait_until(lambda: not find(page_root, lambda n: n.name == 'GtkSpinner'),
                       f'{name} loaded', timeout=10)
        except TimeoutError:
            pass  # a spinner that stays is no reason not to walk what is there
        bad = unnamed_controls(page_root)
        tap(not bad, f'{name}: every control on the page has a name', bad[:40])

    # Alt+N (a user at the keyboard) puts focus in the page: its search entry or its list
    for index, name in enumerate(names[:9]):
        try:
            press_keys('Alt', str(index + 1))
            target = wait_until(lambda: focused_page_control(frame, places),
                                f'focus in the page {name} after Alt+{index + 1}')
            tap(True, f'{name}: Alt+{index + 1} puts focus in its page '
                f'({target.getRoleName()} {target.name!r})')
        except TimeoutError as e:
            tap(False, f'{name}: Alt+{index + 1} puts focus in its page', [str(e)])

    return 1 if failed else 0


def shown_page(frame, previous):
    """The one page of the window's stack (the window hides the others from the tree), once it
    is another than previous."""
    global pages_stack
    if pages_stack is None:
        page = find(frame, lambda n: PAGE_NAME.match(n.name or '')
                    and n.parent is not None and n.parent.name == 'GtkStackPage')
        pages_stack = page.parent.parent if page is not None else None
        if pages_stack is None:
            return None
    pages = [n for stack_page in children(pages_stack) for n in children(stack_page)
             if PAGE_NAME.match(n.name or '')]
    if len(pages) == 1 and pages[0].name != previous:
        return pages[0]
    return None


def focused_page_control(frame, places):
    node = focused_in(frame)
    if node is None:
        return None
    ancestor = node
    while ancestor is not None:
        if ancestor == places:
            return None  # still in the sidebar
        ancestor = ancestor.parent
    return node


if __name__ == '__main__':
    if sys.argv[1] != '--in-session':
        sys.exit(in_session())
    if os.environ.get('ASSAY_A11Y_TAP'):
        sys.stdout = open(os.environ['ASSAY_A11Y_TAP'], 'w', encoding='utf-8', buffering=1)
    status = 1
    try:
        status = main()
    except Exception as e:  # anything unforeseen is a failing case, not a silent crash
        import traceback
        tap(False, f'the walk ran to its end ({type(e).__name__}: {e})',
            traceback.format_exc().splitlines())
    print(f'1..{n_case}', flush=True)
    sys.exit(1 if failed or status else 0)
