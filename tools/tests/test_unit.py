# SPDX-License-Identifier: GPL-2.0-only
"""Host unit tests (tools/tests/unit), one pytest test per C test case.

The case names come from each program's --list, so the programs are
built while pytest collects; the session fixture then reuses that build
(make runs once) and turns a build failure into failed tests that show
the compiler's output, rather than a collection error.
"""

import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
UNIT = os.path.join(ROOT, "tools", "tests", "unit")
BUILD = os.path.join(UNIT, "build")

_build = None


def _make(*targets):
    # --no-print-directory: under a parent make, "Entering directory"
    # lines would otherwise mix with the output of "make list".
    return subprocess.run(["make", "-s", "--no-print-directory", "-C", UNIT]
                          + list(targets), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True)


def _build_once():
    global _build
    if _build is None:
        _build = _make("all")
    return _build


def _cases():
    if _build_once().returncode != 0:
        return [pytest.param(None, None, id="build")]

    listing = _make("list")
    if listing.returncode != 0:
        return [pytest.param(None, listing.stdout, id="list")]

    cases = []
    for program in listing.stdout.split():
        r = subprocess.run([os.path.join(BUILD, program), "--list"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        if r.returncode != 0 or not r.stdout.split():
            cases.append(pytest.param(program, None,
                                      id="%s:--list" % program))
            continue
        for name in r.stdout.split():
            cases.append(pytest.param(program, name,
                                      id="%s:%s" % (program, name)))
    return cases


@pytest.fixture(scope="session")
def unit_build():
    build = _build_once()
    if build.returncode != 0:
        pytest.fail("make -C tools/tests/unit failed:\n" + build.stdout,
                    pytrace=False)


@pytest.mark.parametrize("program,case", _cases())
def test_unit(unit_build, program, case):
    if program is None:
        pytest.fail("cannot list the unit tests:\n%s" % case, pytrace=False)
    if case is None:
        pytest.fail("%s --list failed" % program, pytrace=False)

    r = subprocess.run([os.path.join(BUILD, program), case],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=300)
    lines = r.stdout.splitlines()
    fails = [line for line in lines if line.startswith("FAIL ")]
    # A sanitizer abort leaves no FAIL line: show its report instead.
    detail = "\n".join(fails) if fails else r.stdout + r.stderr
    if r.returncode != 0 or "PASS %s" % case not in lines:
        pytest.fail(detail, pytrace=False)
