"""The generators: reproducible whatever the hash seed, and open to hand-written mixins.

They run as scripts (``scripts/`` is not a package), so these tests run them
in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(code_or_script: list[str], seed: str = "0") -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, *code_or_script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.parametrize("seed", ["1", "2"])
def test_generated_files_do_not_depend_on_the_hash_seed(seed: str) -> None:
    assert "up to date" in run(["scripts/build_endpoints.py", "--check"], seed)
    assert "up to date" in run(["scripts/generate.py", "--check"], seed)


MIXIN_PROBE = """
import sys
sys.path.insert(0, "scripts")
import endpoint_names
endpoint_names.MIXINS["webhooks_v3"] = [("_webhook_extras", "AsyncWebhookExtras")]
import generate
rows = [r for r in generate.ENDPOINTS if r.group == "webhooks_v3"]
print(generate.group_module("webhooks_v3", rows))
"""


def test_a_group_takes_its_hand_written_mixins() -> None:
    module = run(["-c", MIXIN_PROBE])
    assert "from ._webhook_extras import AsyncWebhookExtras\n" in module
    assert "class AsyncWebhooksV3(AsyncWebhookExtras, AsyncGroup[AsyncV3API]):" in module
    assert "    async def update(" in module  # the generated methods are all still there
