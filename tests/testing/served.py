"""Run ``python -m bigc.testing serve`` in a child process, as a user would."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import bigc

# Generous: only a hung server takes this long.
PATIENCE = 60.0


def cli_env() -> dict[str, str]:
    """The environment for a child ``python -m bigc.testing``: this checkout's package."""
    src = str(Path(bigc.__file__).resolve().parents[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    return env


def start_cli(*flags: str) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``python -m bigc.testing serve``; returns it and the base URL it printed."""
    command = [sys.executable, "-m", "bigc.testing", "serve", "--port", "0", *flags]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, env=cli_env())
    assert proc.stdout is not None
    readable, _, _ = select.select([proc.stdout], [], [], PATIENCE)
    if not readable:
        stop_cli(proc, signal.SIGKILL)
        raise AssertionError("the CLI printed nothing")
    return proc, proc.stdout.readline().decode().strip()


def stop_cli(proc: subprocess.Popen[bytes], signum: int = signal.SIGTERM) -> int:
    """Send ``signum``, wait for the exit (kill after PATIENCE); the exit status."""
    proc.send_signal(signum)
    try:
        return proc.wait(PATIENCE)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
