# SPDX-License-Identifier: GPL-2.0-only
"""Kconfig through the real tools: defaults, edits, rebuilds.

Works on a scratch copy of xen/ so that the tree's own configuration and
build are left alone.
"""

import os
import re
import subprocess

import pytest

from qemu import boot, make_iso, run_checked, scratch_tree

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


run = run_checked


@pytest.fixture
def tree(tmp_path):
    scratch_tree(str(tmp_path))
    # distclean removes what the build made, and nothing git tracks.
    tracked = subprocess.run(["git", "ls-files", "xen"], cwd=ROOT, text=True,
                             stdout=subprocess.PIPE, check=True).stdout.split()
    missing = [f for f in tracked if not (tmp_path / f).exists()]
    assert not missing, missing
    return tmp_path / "xen"


def config_value(xen, name):
    with open(xen / "include" / "generated" / "autoconf.h") as f:
        m = re.search(r"^#define CONFIG_%s (\S+)$" % name, f.read(), re.M)
    return m.group(1) if m else None


def test_missing_config_is_created_from_defaults(tree):
    assert not (tree / ".config").exists()
    run(tree, "make", "-s")
    assert (tree / ".config").exists()
    assert config_value(tree, "DIRECTMAP_SIZE_GB") == "0"
    assert config_value(tree, "DEBUG") == "1"
    assert (tree / "xen.gz").exists() and (tree / "xen-syms").exists()


def test_edited_config_rebuilds_with_new_value(tree):
    run(tree, "make", "-s", "defconfig")
    run(tree, "make", "-s")
    before = os.path.getmtime(tree / "xen-syms")
    run(tree, "kconfig-tweak", "--file", ".config",
        "--set-val", "DIRECTMAP_SIZE_GB", "4", "--disable", "DEBUG")
    run(tree, "make", "-s", "olddefconfig")
    run(tree, "make", "-s")
    assert config_value(tree, "DIRECTMAP_SIZE_GB") == "4"
    assert config_value(tree, "DEBUG") is None
    assert os.path.getmtime(tree / "xen-syms") > before
    # The value reaches the running hypervisor: boot it and ask.
    workdir = str(tree.parent)
    b = boot(make_iso(workdir, "console=com1 selftest=memmap",
                      xen_gz=str(tree / "xen.gz")))
    assert b.exited, b
    assert "(release build)" in b.output, b
    assert "CONFIG_DIRECTMAP_SIZE_GB=4," in b.output, b


def test_out_of_range_value_is_refused(tree):
    run(tree, "make", "-s", "defconfig")
    run(tree, "kconfig-tweak", "--file", ".config",
        "--set-val", "NR_CPUS", "0")
    run(tree, "make", "-s", "olddefconfig")
    # Kconfig's range rejects the value and falls back to the default.
    with open(tree / ".config") as f:
        assert "CONFIG_NR_CPUS=256\n" in f.read()
