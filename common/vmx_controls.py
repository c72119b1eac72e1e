# SPDX-License-Identifier: GPL-2.0
"""The VMX control-bit table (vmx-controls.def) for the Python tools.

C code includes the .def as an X-macro; the Python tools (the host-patch
gate-table test) read its rows through this one parser, with reason names
resolved through sdm_exit_reasons.
"""
import os
import re

import sdm_exit_reasons

DEF_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "vmx-controls.def")
_ROW = re.compile(r'^VMX_CONTROL\((\w+),\s*(\d+),\s*(\w+),\s*"([^"]*)",\s*'
                  r'(ONLY|ALSO|NA),\s*(\w+),\s*(\w+)\)')


def load(path=DEF_PATH, sdm_path=sdm_exit_reasons.DEF_PATH):
    """[(field, bit, ident, name, kind, [reason numbers])] in file order."""
    number = {ident: n for n, (ident, _) in sdm_exit_reasons.load(sdm_path).items()}
    rows = []
    with open(path) as f:
        for line in f:
            m = _ROW.match(line)
            if not m:
                continue
            field, bit, ident, name, kind, r1, r2 = m.groups()
            reasons = []
            for r in (r1, r2):
                if r == "NONE":
                    continue
                if r not in number:
                    raise ValueError("%s: unknown exit reason %s" % (path, r))
                reasons.append(number[r])
            rows.append((field, int(bit), ident, name, kind, reasons))
    return rows
