# SPDX-License-Identifier: GPL-2.0-only
"""Shared fixtures: the repository root and a QEMU boot runner."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "boot"))
