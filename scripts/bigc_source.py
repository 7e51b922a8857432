"""Import bigc's data modules from ``src`` without running ``bigc/__init__.py``.

The generators read the endpoint table to write the modules that
``bigc/__init__.py`` imports; loading the package normally would need the
very files they are about to write.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def use_source_tree() -> None:
    """Make ``import bigc.<module>`` load from ``src`` with an empty package."""
    if "bigc" not in sys.modules:
        package = types.ModuleType("bigc")
        package.__path__ = [str(SRC / "bigc")]
        sys.modules["bigc"] = package
