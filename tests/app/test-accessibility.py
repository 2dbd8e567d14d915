#!/usr/bin/python3
# test-accessibility.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Walks the setup assistant of the real `stamp` binary the way a screen
# reader sees it: through the accessibility bus (AT-SPI) that a D-Bus
# session of its own starts, on an X server of its own (Xvfb), pressing buttons through the Action interface, filling entries
# through EditableText and moving with real Tab and Enter key presses.
# On every page it can reach without the network (a provider-list domain,
# then a loopback port nothing listens on) it checks that
#
#   - every control a person can operate has a name,
#   - no name says the same thing twice ("Email Address Email Address"),
#     shows a mnemonic underscore, or is its row's name with more after it,
#   - Tab reaches every such control,
#
# and on the server page that Enter on the "Advanced" expander opens it
# (and says so) instead of going to the next page.
#
# The output is TAP, one line per page and rule, with what is wrong and
# where under each line that fails.
#
#   test-accessibility.py STAMP_BINARY
#
# Needs Debian's gir1.2-atspi-2.0 and python3-gi, and must run with the
# Debian /usr/bin/python3.

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import warnings

import gi

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, GLib  # noqa: E402

# libatspi 2.46 marks the get_*_iface() accessors it introduced as
# deprecated in their introspection data; they are the current API.
warnings.filterwarnings('ignore', category=DeprecationWarning)

# Roles a person operates. A list item counts when it can take the focus:
# it is then a row that does something on activation, or a row around an
# entry. Containers (lists, scroll panes) take the focus only to hand it on.
INTERACTIVE_ROLES = {
    Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.CHECK_BOX,
    Atspi.Role.RADIO_BUTTON, Atspi.Role.TEXT, Atspi.Role.ENTRY,
    Atspi.Role.PASSWORD_TEXT, Atspi.Role.SPIN_BUTTON, Atspi.Role.COMBO_BOX,
    Atspi.Role.LINK, Atspi.Role.LIST_ITEM,
    Atspi.Role.SLIDER, Atspi.Role.MENU_ITEM,
}

# A combo box shows its current value in a list of its own, which is part
# of the combo box and never takes the focus by itself.
OPAQUE_ROLES = {Atspi.Role.COMBO_BOX}

TAB_LIMIT = 40
EVENT_WAIT_S = 5.0
# A key that moves the focus is answered in milliseconds; one whose focus
# change AT-SPI cannot see is answered by nothing.
KEY_WAIT_S = 1.5
GAIN_WAIT_S = 0.5
SILENT_LIMIT = 6

tap_count = 0
unexpected = 0


def tap(ok, description, page, rule, problems=()):
    """One TAP line, with the problems as diagnostics."""
    global tap_count, unexpected
    tap_count += 1
    if not ok:
        unexpected += 1
    print('%s %d - %s' % ('ok' if ok else 'not ok', tap_count, description), flush=True)
    for problem in problems:
        print('#   ' + problem, flush=True)


def pump(seconds=0.0):
    """Runs the main loop, which delivers accessibility events, for a while."""
    context = GLib.MainContext.default()
    deadline = time.monotonic() + seconds
    while True:
        while context.pending():
            context.iteration(False)
        if time.monotonic() >= deadline:
            return
        time.sleep(0.01)


def wait_for(predicate, what, timeout=EVENT_WAIT_S * 2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pump()
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError('timed out waiting for ' + what)


def states(accessible):
    return accessible.get_state_set()


def has_state(accessible, state):
    try:
        return states(accessible).contains(state)
    except GLib.Error:
        return False


def children(accessible):
    for i in range(accessible.get_child_count()):
        child = accessible.get_child_at_index(i)
        if child is not None:
            yield child


def walk(accessible, skip=lambda a: False):
    """Every accessible below @accessible, depth first, with its parents."""
    stack = [(accessible, ())]
    while stack:
        node, parents = stack.pop()
        yield node, parents
        if skip(node):
            continue
        for child in reversed(list(children(node))):
            stack.append((child, parents + (node,)))


def is_shown(accessible):
    """GTK 4.8 marks only windows as showing: visible is what there is."""
    return has_state(accessible, Atspi.StateType.VISIBLE)


def find(root, predicate, what):
    for node, _ in walk(root, skip=lambda n: not is_shown(n) or hidden_stack_page(n)):
        if is_shown(node) and predicate(node):
            return node
    raise LookupError('no ' + what)


# GTK 4.8 tells AT-SPI nothing about which page of a stack is shown: every
# page is "visible". The assistant's pages follow its step label; in other
# stacks, the shown page is the one that holds a control Tab reached, or
# failing that, one that has been given room.
assistant_stack_page = None
reached_keys = set()


def hidden_stack_page(node):
    if node.get_name() != 'GtkStackPage':
        return False
    stack = node.get_parent()
    pages = [p for p in children(stack) if p.get_name() == 'GtkStackPage']
    if assistant_stack_page is not None and key(stack) == assistant_stack_page[0]:
        return node.get_index_in_parent() != assistant_stack_page[1]
    holding = [p for p in pages if holds_reached(p)]
    if holding:
        return key(node) not in {key(p) for p in holding}
    child = node.get_child_at_index(0)
    extents = child.get_component_iface().get_extents(Atspi.CoordType.WINDOW) if child else None
    return extents is None or extents.width <= 0 or extents.height <= 0


def holds_reached(node):
    prefix = key(node)
    return any(k[:len(prefix)] == prefix for k in reached_keys)


def describe(accessible):
    return '%s “%s”' % (accessible.get_role_name(), accessible.get_name())


key_cache = {}


def key(accessible):
    """Where @accessible sits in its window: stable while the window lives
    and its page is not rebuilt (the cache is cleared at every check)."""
    cached = key_cache.get(accessible)
    if cached is None:
        cached = key_cache[accessible] = uncached_key(accessible)
    return cached


def uncached_key(accessible):
    path = []
    node = accessible
    while node is not None and node.get_role() not in (Atspi.Role.FRAME, Atspi.Role.APPLICATION):
        path.append(node.get_index_in_parent())
        node = node.get_parent()
    return tuple(reversed(path))


class FocusTracker:
    """Follows the focused control through AT-SPI focus events.

    On GTK 4.8 an entry row's focus is in a text widget that AT-SPI does
    not see (GTK 4.10 reports it on the row), so a Tab into an entry row
    shows only the previous control losing the focus: a silent stop."""

    def __init__(self):
        self.focused = None
        self.gained = 0
        self.events = 0
        self.listener = Atspi.EventListener.new(self._event)
        self.listener.register('object:state-changed:focused')

    def _event(self, event):
        self.events += 1
        if event.detail1 == 1:
            self.focused = event.source
            self.gained += 1

    def press(self, keyval):
        """Presses @keyval; returns the newly focused control, or None for
        a silent stop."""
        # Late events of the previous key belong to it, not to this one.
        pump(0.05)
        gained, events = self.gained, self.events
        Atspi.generate_keyboard_event(keyval, None, Atspi.KeySynthType.PRESSRELEASE | Atspi.KeySynthType.SYM)
        deadline = time.monotonic() + KEY_WAIT_S
        while self.events == events and time.monotonic() < deadline:
            pump(0.02)
        # The gain follows the loss.
        deadline = time.monotonic() + GAIN_WAIT_S
        while self.gained == gained and time.monotonic() < deadline:
            pump(0.02)
        return self.focused if self.gained != gained else None


def press_key(keyval):
    Atspi.generate_keyboard_event(keyval, None, Atspi.KeySynthType.PRESSRELEASE | Atspi.KeySynthType.SYM)
    pump(0.3)


def controls(root, any_focusable=False):
    """The shown controls under @root that a person can operate, or with
    @any_focusable, everything shown that can take the focus."""
    found = []
    # A closed expander row keeps its rows visible to AT-SPI on GTK 4.8:
    # (the box holding its header's list, that list) for each one seen.
    closed = []

    def hidden(node):
        if not is_shown(node) or hidden_stack_page(node):
            return True
        k = key(node)
        return any(k[:len(box)] == box and len(k) > len(box) and k[:len(header)] != header
                   for box, header in closed)

    for node, parents in walk(root, skip=lambda n: hidden(n) or n.get_role() in OPAQUE_ROLES):
        if node is root or hidden(node):
            continue
        if node.get_role() == Atspi.Role.LIST_ITEM and has_state(node, Atspi.StateType.EXPANDABLE) \
           and not has_state(node, Atspi.StateType.EXPANDED) and len(parents) >= 2:
            closed.append((key(parents[-2]), key(parents[-1])))
        if not has_state(node, Atspi.StateType.FOCUSABLE) or not has_state(node, Atspi.StateType.SENSITIVE):
            continue
        if any_focusable or (node.get_role() in INTERACTIVE_ROLES
                             and not is_window_control(node) and not is_container_row(node)):
            found.append((node, parents))
    return found


def is_container_row(node):
    """A row around other rows or controls, such as an expander, hands the
    focus on: the controls in it are what Tab and the name rules are for."""
    if node.get_role() != Atspi.Role.LIST_ITEM:
        return False
    for inner, _ in walk(node, skip=lambda n: not is_shown(n)):
        if inner is not node and inner.get_role() in INTERACTIVE_ROLES \
           and has_state(inner, Atspi.StateType.FOCUSABLE):
            return True
    return False


def same_group(a, b):
    """Check boxes in rows of one list are a group of choices: Tab enters
    the group at the chosen one, and the arrow keys move in it."""
    group_roles = (Atspi.Role.CHECK_BOX, Atspi.Role.RADIO_BUTTON)
    return (a.get_role() in group_roles and b.get_role() in group_roles
            and key(a) != key(b) and key(enclosing_list(a)) == key(enclosing_list(b)))


def enclosing_list(node):
    while node is not None and node.get_role() != Atspi.Role.LIST:
        node = node.get_parent()
    return node


def is_window_control(node):
    """GTK's minimize, maximize and close buttons are for the pointer: the
    keyboard has shortcuts for them, and Tab passes them by."""
    parent = node.get_parent()
    return (node.get_role() == Atspi.Role.PUSH_BUTTON and parent is not None
            and all(c.get_role() == Atspi.Role.PUSH_BUTTON
                    and (c.get_description() or '').endswith(' the window') for c in children(parent)))


def repeated_phrase(name):
    """The phrase @name says twice in a row, or None."""
    words = name.split()
    for length in range(len(words) // 2, 0, -1):
        for start in range(0, len(words) - 2 * length + 1):
            first = words[start:start + length]
            if first == words[start + length:start + 2 * length]:
                return ' '.join(first)
    # "Name Shown to Recipients Name Shown to Recipients (Optional)"
    for length in range(len(words) // 2, 1, -1):
        if words[:length] == words[length:2 * length]:
            return ' '.join(words[:length])
    return None


def list_problems(found):
    """A list that groups entries needs a name of its own, which a screen
    reader says when the focus moves into it."""
    problems = []
    lists = {}
    for node, parents in found:
        if node.get_role() in ENTRY_ROLES | {Atspi.Role.SPIN_BUTTON, Atspi.Role.COMBO_BOX}:
            group = next((p for p in reversed(parents) if p.get_role() == Atspi.Role.LIST), None)
            if group is not None:
                lists.setdefault(key(group), (group, []))[1].append(node.get_name())
    for group, names in lists.values():
        name = (group.get_name() or '').strip()
        if not name or re.fullmatch(r'(Gtk|Adw)[A-Z]\w+', name):
            problems.append('the list of “%s” has no name' % '”, “'.join(names))
    return problems


def inner_labels(node, depth=3):
    labels = []
    for child in children(node):
        if child.get_role() == Atspi.Role.LABEL and (child.get_name() or '').strip():
            labels.append(child.get_name().strip())
        elif depth > 1:
            labels += inner_labels(child, depth - 1)
    return labels


def name_problems(node, parents):
    name = (node.get_name() or '').strip()
    role = node.get_role_name()
    if not name:
        return ['%s has no name' % role]
    # What GTK 4.8 says of a control with no name: its class.
    if re.fullmatch(r'(Gtk|Adw)[A-Z]\w+', name):
        return ['%s has no name (GTK calls it “%s”)' % (role, name)]
    problems = []
    phrase = repeated_phrase(name.replace('_', ''))
    if phrase is not None:
        problems.append('%s “%s” says “%s” twice' % (role, name, phrase))
    else:
        # An accessible label read before the visible title it disagrees
        # with: "Test Message Recipient Send To".
        for label in inner_labels(node):
            if name != label and name.endswith(' ' + label):
                problems.append('%s “%s” reads “%s” before its title “%s”'
                                % (role, name, name[:-len(label) - 1], label))
                break
    if '_' in name.replace('__', ''):
        problems.append('%s “%s” keeps a mnemonic underscore' % (role, name))
    row = next((p for p in reversed(parents) if p.get_role() == Atspi.Role.LIST_ITEM), None)
    if row is not None:
        row_name = (row.get_name() or '').strip()
        if row_name and name != row_name and name.startswith(row_name + ' '):
            problems.append('%s “%s” repeats its row “%s” before its own name' % (role, name, row_name))
    return problems


def tab_round(tracker):
    """Presses Tab until the focus comes back to where it started, and
    returns the stops in order: a control's key, or None for a silent one."""
    reached_keys.clear()
    stops = []
    for _ in range(TAB_LIMIT):
        focused = tracker.press(Gdk_KEY_Tab)
        if focused is None:
            stops.append(None)
            # No page has that many entry rows in a row: the focus went
            # where AT-SPI cannot follow it.
            if stops[-SILENT_LIMIT:] == [None] * SILENT_LIMIT:
                break
            continue
        focused = key(focused)
        if stops and focused == next((s for s in stops if s is not None), None):
            break
        stops.append(focused)
        reached_keys.add(focused)
    return stops


def place_silent_stops(stops, order):
    """The entry rows that silent stops fell on: those between the two
    stops seen around them, in the tree's order (@order, every shown
    control that can take the focus). Some silent stops are not controls
    (GTK 4.8 hides more than entries), so a run of silent stops places
    the entry rows between its ends when there are no more of them than
    stops."""
    placed = set()

    def in_order(stop):
        """A stop inside a control (a combo box's list) counts as that control."""
        if stop is None or stop in order:
            return stop
        prefixes = [k for k in order if stop[:len(k)] == k]
        return max(prefixes, key=len) if prefixes else stop

    stops = [in_order(s) for s in stops]
    seen = [i for i, s in enumerate(stops) if s is not None]
    if not seen:
        return placed
    for before, after in zip(seen, seen[1:] + [seen[0] + len(stops)]):
        silent = after - before - 1
        start, end = stops[before], stops[after % len(stops)]
        if silent <= 0 or start not in order or end not in order:
            continue
        a, b = order.index(start), order.index(end)
        between = order[a + 1:b] if a < b else order[a + 1:] + order[:b]
        entries = [k for k in between if k not in reached_keys and roles.get(k) in ENTRY_ROLES]
        if 0 < len(entries) <= silent:
            placed.update(entries)
    return placed


ENTRY_ROLES = {Atspi.Role.TEXT, Atspi.Role.PASSWORD_TEXT, Atspi.Role.ENTRY}
roles = {}


def check_page(page, window, root, tracker, exempt=()):
    """The three rules, for the shown controls under @root."""
    began = time.monotonic()
    key_cache.clear()
    stops = tab_round(tracker)
    if os.environ.get('STAMP_TEST_VERBOSE'):
        print('# %s: Tab round %.1f s' % (page, time.monotonic() - began))
    found = [(n, p) for n, p in controls(root) if (n.get_name() or '') not in exempt]
    everything = controls(window, any_focusable=True)
    roles.update({key(n): n.get_role() for n, _ in everything})
    reached_keys.update(place_silent_stops(stops, [key(n) for n, _ in everything]))
    problems = []
    for node, parents in found:
        problems += name_problems(node, parents)
    problems += list_problems(found)
    tap(not problems, '%s: every control has one clear name' % page, page, 'names', problems)

    reached = [n for n, _ in found if key(n) in reached_keys]
    missing = ['Tab does not reach %s' % describe(n) for n, _ in found
               if key(n) not in reached_keys and not any(same_group(n, r) for r in reached)]
    if missing:
        names = {key(n): describe(n) for n, _ in everything}
        missing.append('Tab stops: ' + ', '.join(names.get(s, str(s)) if s else '(silent)' for s in stops))
    tap(not missing, '%s: Tab reaches every control (%d)' % (page, len(found)), page, 'tab', missing)
    if os.environ.get('STAMP_TEST_VERBOSE'):
        print('# %s: %.1f s' % (page, time.monotonic() - began))


Gdk_KEY_Tab = 0xff09
Gdk_KEY_Return = 0xff0d
Gdk_KEY_n = 0x006e


def free_loopback_port():
    """A loopback port nothing listens on, so a test there fails at once."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def start_xvfb():
    """An X server of the walk's own. The walk moves the pointer and types,
    which on the display the other app tests share would reach their
    windows, and theirs would cover Stamp's."""
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(['Xvfb', '-displayfd', str(write_end), '-screen', '0', '1280x1024x24',
                             '-nolisten', 'tcp'],
                            pass_fds=(write_end,), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    if not number:
        raise RuntimeError('Xvfb did not start')
    os.environ['DISPLAY'] = ':' + number
    return xvfb


def start_session_bus(scratch):
    """A D-Bus session of the walk's own, which starts the accessibility
    bus and its registry on demand. They print to the daemon's output, kept
    out of the TAP stream, and get an environment without the fatal
    warnings and malloc checks meant for Stamp, which would bring that far
    side down (as with-keyring.sh says of the keyring)."""
    runtime = os.path.join(scratch, 'runtime')
    os.mkdir(runtime, 0o700)
    os.environ['XDG_RUNTIME_DIR'] = runtime
    env = {name: value for name, value in os.environ.items()
           if name not in ('G_DEBUG', 'MALLOC_CHECK_', 'MALLOC_PERTURB_', 'LD_PRELOAD')}
    read_end, write_end = os.pipe()
    daemon = subprocess.Popen(['dbus-daemon', '--session', '--nofork', '--nosyslog',
                               '--print-address=%d' % write_end],
                              pass_fds=(write_end,), env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        address = pipe.readline().strip()
    if not address:
        raise RuntimeError('dbus-daemon did not start')
    os.environ['DBUS_SESSION_BUS_ADDRESS'] = address
    return daemon


def start_stamp(binary, scratch):
    env = dict(os.environ)
    # GTK speaks to the accessibility bus only when asked to or left alone.
    env.pop('NO_AT_BRIDGE', None)
    env['GTK_A11Y'] = 'atspi'
    if os.environ.get('STAMP_TEST_G_DEBUG'):
        env['G_DEBUG'] = os.environ['STAMP_TEST_G_DEBUG']
    env['XDG_CONFIG_HOME'] = os.path.join(scratch, 'config')
    # The walk finds controls by their English names.
    env['LC_ALL'] = 'C.UTF-8'
    env.pop('LANGUAGE', None)
    env['XDG_CACHE_HOME'] = os.path.join(scratch, 'cache')
    env['XDG_DATA_HOME'] = os.path.join(scratch, 'data')
    return subprocess.Popen([binary], env=env, stdin=subprocess.DEVNULL)


def find_application(pid):
    desktop = Atspi.get_desktop(0)
    for app in children(desktop):
        try:
            if app.get_process_id() == pid:
                return app
        except GLib.Error:
            continue
    return None


def window_named(app, title):
    for window in children(app):
        if window.get_name() == title and is_shown(window):
            return window
    return None


def point_at(window):
    """Xvfb runs no window manager: windows open at the top left corner,
    the newest on top, and the keyboard goes to the window under the
    pointer. (GTK warns when asked where a window is on the screen.)"""
    extents = window.get_component_iface().get_extents(Atspi.CoordType.WINDOW)
    Atspi.generate_mouse_event(min(100, extents.width // 2), min(100, extents.height // 2), 'abs')
    pump(0.2)


def visible_page(window):
    """The assistant's shown page, which its step label names."""
    global assistant_stack_page
    address = next(n for n, _ in walk(window, skip=lambda n: not is_shown(n))
                   if n.get_name() == 'StampAddressPage')
    stack = address.get_parent().get_parent()
    index = int(step(window).split()[1]) - 1
    assistant_stack_page = (key(stack), index)
    return stack.get_child_at_index(index)


def header_bar(window):
    return find(window, lambda n: n.get_role() == Atspi.Role.PUSH_BUTTON
                and (n.get_name() or '').endswith('Close'), 'close button').get_parent().get_parent()


def do_action(accessible, name=None):
    action = accessible.get_action_iface()
    index = 0
    if name is not None:
        names = [action.get_action_name(i) for i in range(action.get_n_actions())]
        index = names.index(name)
    action.do_action(index)
    pump(0.3)


def button(window, label):
    return find(window, lambda n: n.get_role() == Atspi.Role.PUSH_BUTTON
                and (n.get_name() or '').replace('_', '').endswith(label)
                and has_state(n, Atspi.StateType.FOCUSABLE), 'button ' + label)


def step(window):
    return find(window, lambda n: n.get_role() == Atspi.Role.LABEL
                and (n.get_name() or '').startswith('Step '), 'step label').get_name()


def titled(node, title):
    """Whether @node is the control titled @title, whatever its name says:
    a wrong name is for the checks to report, not a reason to get lost."""
    name = (node.get_name() or '').replace('_', '')
    return name == title or name.endswith(' ' + title) or title in inner_labels(node)


def set_text(window, name, text):
    """Fills the entry named @name, as a person's assistive technology can."""
    control = find(window, lambda n: n.get_role() in INTERACTIVE_ROLES
                   and titled(n, name), name)
    if not control.get_editable_text_iface().set_text_contents(text):
        raise RuntimeError('%s does not take text' % describe(control))
    pump(0.2)
    return control


def tab_to(tracker, predicate, what):
    for _ in range(TAB_LIMIT):
        focused = tracker.press(Gdk_KEY_Tab)
        if focused is not None and predicate(focused):
            return focused
    raise LookupError('Tab does not reach ' + what)


def next_page(window, expected_step):
    do_action(button(window, 'Next'))
    wait_for(lambda: step(window) == expected_step, expected_step)
    visible_page(window)
    pump(0.5)


def main():
    if len(sys.argv) != 2:
        print('usage: test-accessibility.py STAMP_BINARY', file=sys.stderr)
        return 2

    # The fatal warnings are for Stamp: libatspi warns here when it asks
    # GTK 4.8 for a cache that GTK does not offer.
    if 'G_DEBUG' in os.environ and 'STAMP_TEST_G_DEBUG' not in os.environ:
        env = dict(os.environ, STAMP_TEST_G_DEBUG=os.environ['G_DEBUG'])
        del env['G_DEBUG']
        os.execve(sys.executable, [sys.executable] + sys.argv, env)

    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix='stamp-a11y.') as scratch:
        xvfb = start_xvfb()
        bus = start_session_bus(scratch)
        stamp = None
        try:
            Atspi.init()
            tracker = FocusTracker()
            stamp = start_stamp(sys.argv[1], scratch)
            return walk_assistant(stamp, tracker, start)
        finally:
            for process in (stamp, bus, xvfb):
                if process is None:
                    continue
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()


def walk_assistant(stamp, tracker, start):
    app = wait_for(lambda: find_application(stamp.pid), 'Stamp on the accessibility bus')
    main_window = wait_for(lambda: window_named(app, 'Stamp'), 'the main window')
    pump(0.5)
    point_at(main_window)

    check_page('main window', main_window, main_window, tracker)

    do_action(button(main_window, 'Set Up Sending'))
    window = wait_for(lambda: window_named(app, 'Add Account'), 'the setup assistant')
    wait_for(lambda: step(window) == 'Step 1 of 5', 'the address page')
    pump(0.5)
    point_at(window)

    # Address page. A domain from the provider list finds its settings
    # without the network. With the address in, Next can take the focus
    # too, which the header bar's check needs.
    visible_page(window)
    set_text(window, 'Email Address', 'walker@gmx.net')
    wait_for(lambda: has_state(button(window, 'Next'), Atspi.StateType.SENSITIVE), 'a complete address')
    check_page('header bar', window, header_bar(window), tracker)
    check_page('address', window, visible_page(window), tracker)
    next_page(window, 'Step 2 of 5')

    # Server page, with Advanced closed, then opened with Enter.
    page = visible_page(window)
    check_page('server', window, page, tracker)
    check_advanced_expander(window, tracker)
    check_page('server, advanced open', window, visible_page(window), tracker)

    # Point the server at a loopback port nothing listens on: the test
    # then fails at once, without the network.
    set_text(window, 'Server Name', '127.0.0.1')
    port = find(window, lambda n: n.get_role() == Atspi.Role.SPIN_BUTTON and titled(n, 'Port'), 'Port')
    port.get_value_iface().set_current_value(free_loopback_port())
    wait_for(lambda: has_state(button(window, 'Next'), Atspi.StateType.SENSITIVE), 'complete server settings')
    check_mnemonic(window, Gdk_KEY_n, 'Next', 'Step 3 of 5')

    # Sign-in page: a password.
    check_page('sign-in', window, visible_page(window), tracker)
    password = find(window, lambda n: n.get_role() in (Atspi.Role.PASSWORD_TEXT, Atspi.Role.TEXT)
                    and 'Password' in (n.get_name() or ''), 'password row')
    password.get_editable_text_iface().set_text_contents('not-a-real-password')
    pump(0.2)
    wait_for(lambda: has_state(button(window, 'Next'), Atspi.StateType.SENSITIVE), 'a complete sign-in')
    next_page(window, 'Step 4 of 5')

    # Test page, before and after a failed test.
    check_page('test', window, visible_page(window), tracker)
    do_action(button(window, 'Send'))
    wait_for(lambda: find_or_none(visible_page(window), lambda n: n.get_role() == Atspi.Role.PUSH_BUTTON
                                  and 'Retry' in (n.get_name() or '').replace('_', '')),
             'the failed test', timeout=20)
    pump(0.5)
    check_page('test failed', window, visible_page(window), tracker)

    print('# walked the assistant in %.1f s' % (time.monotonic() - start))
    print('1..%d' % tap_count, flush=True)
    return 1 if unexpected else 0


def check_mnemonic(window, keyval, label, expected_step):
    """Alt and the underlined letter press the button, as a keyboard user
    does it: the button's own label keeps the mnemonic."""
    page = 'header bar'
    # A key given by its symbol is pressed and released at once: Alt is
    # held by locking its modifier instead.
    alt = 1 << Atspi.ModifierType.ALT
    Atspi.generate_keyboard_event(alt, None, Atspi.KeySynthType.LOCKMODIFIERS)
    Atspi.generate_keyboard_event(keyval, None, Atspi.KeySynthType.PRESSRELEASE | Atspi.KeySynthType.SYM)
    Atspi.generate_keyboard_event(alt, None, Atspi.KeySynthType.UNLOCKMODIFIERS)
    try:
        wait_for(lambda: step(window) == expected_step, expected_step, timeout=EVENT_WAIT_S)
        problems = []
    except TimeoutError:
        problems = ['Alt+%s left the page at %s' % (chr(keyval).upper(), step(window))]
    tap(not problems, '%s: Alt+%s presses %s' % (page, chr(keyval).upper(), label),
        page, 'mnemonic', problems)
    if problems:
        next_page(window, expected_step)
    visible_page(window)
    pump(0.5)


def find_or_none(root, predicate):
    try:
        return find(root, predicate, '')
    except LookupError:
        return None


def check_advanced_expander(window, tracker):
    page = 'server'

    def header():
        return find(window, lambda n: n.get_role() == Atspi.Role.LIST_ITEM
                    and titled(n, 'Advanced') and has_state(n, Atspi.StateType.FOCUSABLE),
                    'the Advanced expander')

    row = header()
    problems = []
    if not has_state(row, Atspi.StateType.EXPANDABLE):
        problems.append('the Advanced expander does not say it can expand')
    if has_state(row, Atspi.StateType.EXPANDED):
        problems.append('the Advanced expander says it is open before it is')

    tab_to(tracker, lambda n: n.get_role() == Atspi.Role.LIST_ITEM and titled(n, 'Advanced'),
           'the Advanced expander')
    press_key(Gdk_KEY_Return)
    pump(0.5)

    if step(window) != 'Step 2 of 5':
        problems.append('Enter on the Advanced expander left the page (%s)' % step(window))
        tap(False, '%s: Enter opens the Advanced expander' % page, page, 'expander', problems)
        raise SystemExit(1)

    row = header()
    if not has_state(row, Atspi.StateType.EXPANDED):
        problems.append('after Enter the Advanced expander does not say it is open')
    if find_or_none(window, lambda n: n.get_name() == 'Name Sent in EHLO') is None:
        problems.append('after Enter the advanced settings are not shown')
    tap(not problems, '%s: Enter opens the Advanced expander, which says so' % page, page, 'expander', problems)


if __name__ == '__main__':
    sys.exit(main())
