# SPDX-License-Identifier: GPL-2.0-only
"""Shared fixtures: the repository root and a QEMU boot runner; a failed
test's serial logs kept in build/test-logs/."""

import os
import re
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "boot"))

import qemu  # noqa: E402

LOG_DIR = os.path.join(qemu.ROOT, "build", "test-logs")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    del qemu.SERIAL_LOGS[:]
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test's boots (its own and its fixtures' of this test),
    every line of each, in one file named after the test."""
    outcome = yield
    rep = outcome.get_result()
    if not rep.failed or not qemu.SERIAL_LOGS:
        return
    os.makedirs(LOG_DIR, exist_ok=True)
    path = os.path.join(LOG_DIR, re.sub(r"[^\w.-]+", "_", item.nodeid) +
                        ".log")
    with open(path, "w") as f:
        for iso, text in qemu.SERIAL_LOGS:
            f.write("==== serial log of a boot of %s\n%s\n" % (iso, text))
    rep.sections.append(("serial logs", path))
