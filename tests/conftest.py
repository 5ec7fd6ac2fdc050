"""Shared fixtures: no network, and one tiny trained model per test session."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        return host in ("localhost", "::1") or host.startswith("127.")
    return isinstance(address, (str, bytes))  # unix sockets


class NetworkBlocked(RuntimeError):
    """Raised when code under test tries to open a connection off this machine."""


def _guarded(real):  # type: ignore[no-untyped-def]
    def guard(self: socket.socket, address: object):  # type: ignore[no-untyped-def]
        if not _loopback(address):
            raise NetworkBlocked(f"test tried to connect to {address!r}; the network is blocked")
        return real(self, address)

    return guard


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Block outgoing connections for the whole test session (loopback stays open)."""
    socket.socket.connect = _guarded(_real_connect)  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded(_real_connect_ex)  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]


TINY_ROWS = [
    ("The delegations met in Geneva on Tuesday for a third round of talks.", "fact", "neutral"),
    ("Both sides should return to the table without preconditions.", "policy", "favor"),
    ("We are ready to meet the union leadership at any time.", "commitment", "favor"),
    ("The talks are a stalling tactic designed to buy time.", "value", "against"),
    ("Shelling continued overnight in the eastern region.", "fact", "unrelated"),
    ("Officials expect a draft agreement by the end of the month.", "prediction", "favor"),
    ("There will be no meeting until they capitulate.", "commitment", "against"),
    ("ALSO READ:", "none", "unrelated"),
    ("Negotiations are the only way to end this war.", "value", "favor"),
    ("The European Union will consider new sanctions next week.", "prediction", "unrelated"),
    ("Will the ceasefire hold?", "none", "neutral"),
    ("Any meeting of the presidents must be prepared by negotiators first.", "policy", "favor"),
]


def tiny_rows(n: int = 48) -> list[dict[str, str]]:
    """``n`` labelled rows cycling through a dozen codebook examples."""
    rows = []
    for i in range(n):
        text, claim, stance = TINY_ROWS[i % len(TINY_ROWS)]
        rows.append({"id": f"r{i}", "text": f"{text} ({i})", "claim_type": claim, "stance": stance})
    return rows


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model really trained for a few steps on tiny data; built once per session."""
    import stancekit

    out = tmp_path_factory.mktemp("models") / "tiny"
    rows = tiny_rows()
    res = stancekit.train(rows[:36], dev=rows[36:], out=out, max_steps=6, batch_size=8,
                          quiet=True, seed=1)
    return res.path


@pytest.fixture
def tiny_csv(tmp_path: Path) -> Path:
    """A CSV of tiny labelled data with columns id,text,claim_type,stance."""
    import pandas as pd

    path = tmp_path / "tiny.csv"
    pd.DataFrame(tiny_rows()).to_csv(path, index=False)
    return path
