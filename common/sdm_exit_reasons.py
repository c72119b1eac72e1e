# SPDX-License-Identifier: GPL-2.0
"""The SDM exit-reason table (sdm-exit-reasons.def) for the Python tools.

C code includes the .def as an X-macro; the Python tools (the probe's log
checker, the e2e verdict, the host-patch table test, the sample-log
generator) read its rows through this one parser.
"""
import os
import re

DEF_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "sdm-exit-reasons.def")
_ROW = re.compile(r"^SDM_EXIT_REASON\((\d+),\s*(\w+),\s*(SYNC|ASYNC),")


def load(path=DEF_PATH):
    """{reason: (IDENT, "sync" or "async")} for every SDM-defined reason."""
    table = {}
    with open(path) as f:
        for line in f:
            m = _ROW.match(line)
            if m:
                table[int(m.group(1))] = (m.group(2), m.group(3).lower())
    return table
