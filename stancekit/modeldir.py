"""The saved-model directory: write it atomically, read it safely (safetensors only).

Layout::

    config.json                 base (name, sha256), tasks with id2label/label2id,
                                max_length, pair_input, temperatures, adapter kind
    adapter_config.json         \\ LoRA adapter (peft), when the encoder was trained
    adapter_model.safetensors   /  with LoRA; or encoder/ with full weights
    heads.safetensors           one linear head per task
    tokenizer files             copied from the base
    README.md                   model card
    metrics.json                figures written by training
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .base import resolve_base
from .errors import BaseModelError, ModelDirError
from .schema import Task

FORMAT_VERSION = 1
CONFIG_NAME = "config.json"
HEADS_NAME = "heads.safetensors"
ADAPTER_NAME = "adapter_model.safetensors"
ENCODER_DIR = "encoder"
_PICKLE_SUFFIXES = (".bin", ".pkl", ".pickle", ".pt", ".pth", ".ckpt")


@dataclass
class ModelConfig:
    """What ``config.json`` of a stancekit model holds."""

    tasks: list[Task]
    base_name: str
    base_sha256: str | None
    adapter: str = "lora"  # "lora" or "full"
    max_length: int = 128
    pair_input: bool = False
    temperatures: dict[str, float] = field(default_factory=dict)
    text_column: str = "text"
    target_column: str | None = None
    version: str = ""
    training: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "stancekit_format": FORMAT_VERSION,
            "stancekit_version": self.version,
            "model_type": "stancekit-multitask",
            "base": {"name": self.base_name, "sha256": self.base_sha256},
            "adapter": self.adapter,
            "pooling": "mean",
            "max_length": self.max_length,
            "pair_input": self.pair_input,
            "text_column": self.text_column,
            "target_column": self.target_column,
            "tasks": {
                t.name: {
                    "id2label": {str(i): lab for i, lab in t.id2label.items()},
                    "label2id": t.label2id,
                }
                for t in self.tasks
            },
            "temperatures": self.temperatures,
            "training": self.training,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], where: Path) -> ModelConfig:
        try:
            tasks = []
            for name, spec in data["tasks"].items():
                id2label = {int(k): v for k, v in spec["id2label"].items()}
                tasks.append(Task(name, tuple(id2label[i] for i in range(len(id2label)))))
            return cls(
                tasks=tasks,
                base_name=data["base"]["name"],
                base_sha256=data["base"].get("sha256"),
                adapter=data.get("adapter", "lora"),
                max_length=int(data.get("max_length", 128)),
                pair_input=bool(data.get("pair_input", False)),
                temperatures={k: float(v) for k, v in data.get("temperatures", {}).items()},
                text_column=data.get("text_column", "text"),
                target_column=data.get("target_column"),
                version=data.get("stancekit_version", ""),
                training=data.get("training", {}),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelDirError(
                f"{where / CONFIG_NAME} is not a valid stancekit config ({exc!r}); "
                "the directory was not written by stancekit.save or was edited by hand. "
                "Retrain, or restore the file from a good copy."
            ) from exc


def read_config(model_dir: str | os.PathLike[str]) -> ModelConfig:
    """Read and check ``config.json`` of a saved model.

    Example:
        >>> from stancekit.modeldir import read_config, default_model_dir
        >>> [t.name for t in read_config(default_model_dir()).tasks]
        ['claim_type', 'stance']
    """
    path = _existing_dir(model_dir)
    cfg_path = path / CONFIG_NAME
    if not cfg_path.exists():
        raise ModelDirError(
            f"{path} has no {CONFIG_NAME}; it is not a stancekit model directory. "
            "Pass the directory that 'stancekit train --out' wrote."
        )
    try:
        data = json.loads(cfg_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelDirError(
            f"{cfg_path} is corrupt (not valid JSON: {exc}); restore it from a good copy "
            "or retrain the model"
        ) from exc
    if not isinstance(data, dict) or "tasks" not in data:
        raise ModelDirError(
            f"{cfg_path} has no 'tasks' entry; it is not a stancekit model config "
            "(a plain transformers config?). Train with 'stancekit train' first."
        )
    return ModelConfig.from_json(data, path)


def _existing_dir(model_dir: str | os.PathLike[str]) -> Path:
    path = Path(model_dir).expanduser()
    if path.is_dir():
        return path
    backup = _backup_path(path)
    if backup.is_dir():
        warnings.warn(f"{path} is missing but a previous copy {backup} was left by an interrupted "
                      "save; loading that copy", stacklevel=3)
        return backup
    raise ModelDirError(f"model directory {path} does not exist; check the path "
                        "(train one with 'stancekit train --out DIR')")


def check_weights(path: Path, cfg: ModelConfig) -> None:
    """Refuse directories whose weights are pickle files or missing.

    Example:
        >>> path = default_model_dir()
        >>> check_weights(path, read_config(path)) is None
        True
    """
    needed = [path / HEADS_NAME]
    needed.append(path / ADAPTER_NAME if cfg.adapter == "lora"
                  else path / ENCODER_DIR / "model.safetensors")
    missing = [p for p in needed if not p.exists()]
    if missing:
        pickles = [p.name for p in path.rglob("*") if p.suffix in _PICKLE_SUFFIXES]
        if pickles:
            raise ModelDirError(
                f"{path} holds only pickle weights {pickles}; stancekit never loads pickle "
                "(it can run arbitrary code). Re-save the model with safetensors "
                "(retrain with 'stancekit train')."
            )
        raise ModelDirError(f"{path} lacks {[str(p.relative_to(path)) for p in missing]}; "
                            "the model directory is incomplete. Copy it again or retrain.")


def load_model(model_dir: str | os.PathLike[str], *, merge: bool = True,  # type: ignore[no-untyped-def]
               backend: str = "auto"):
    """Load ``(model, tokenizer, config)`` from a saved directory, with no network.

    The base encoder is resolved from ``config.json`` (the packaged MiniLM is checked
    against its pinned SHA-256). With ``merge=True`` a LoRA adapter is merged into the
    encoder weights for fast inference. ``backend="auto"`` runs BERT-family encoders with
    :mod:`stancekit.fastbert` (same numbers, no transformers import) and anything else with
    transformers; ``backend="transformers"`` always uses transformers.

    Example:
        >>> model, tokenizer, cfg = load_model(default_model_dir())
        >>> [t.name for t in cfg.tasks], type(model.encoder).__name__
        (['claim_type', 'stance'], 'FastBert')
    """
    from safetensors.torch import load_file

    from .model import MultiTaskModel

    if backend not in ("auto", "transformers"):
        raise ValueError(f"backend must be 'auto' or 'transformers', got {backend!r}")
    path = _existing_dir(model_dir)
    cfg = read_config(path)
    check_weights(path, cfg)
    encoder = tokenizer = None
    if cfg.adapter == "lora":
        try:
            base = resolve_base(cfg.base_name, expected_sha256=cfg.base_sha256)
        except BaseModelError as exc:
            raise BaseModelError(f"cannot load {path}: {exc}") from exc
        if merge and backend == "auto" and Path(base.path).is_dir():
            from .fastbert import load_fast

            fast = load_fast(Path(base.path), path)
            if fast is not None:
                encoder, tokenizer = fast
    if encoder is None:
        from transformers import AutoModel, AutoTokenizer

        from ._quiet import quiet_libraries

        quiet_libraries()
        if cfg.adapter == "lora":
            encoder = AutoModel.from_pretrained(base.path, use_safetensors=True)
            if not (merge and merge_lora(encoder, path)):
                from peft import PeftModel

                encoder = PeftModel.from_pretrained(encoder, str(path), is_trainable=not merge)
                if merge:
                    encoder = encoder.merge_and_unload()
        else:
            encoder = AutoModel.from_pretrained(str(path / ENCODER_DIR), use_safetensors=True)
        # pass the encoder's config so transformers does not read stancekit's config.json
        tokenizer = AutoTokenizer.from_pretrained(str(path), config=encoder.config)
    model = MultiTaskModel(encoder, cfg.tasks)
    heads = load_file(str(path / HEADS_NAME))
    try:
        model.heads.load_state_dict(heads)
    except RuntimeError as exc:
        raise ModelDirError(f"{path / HEADS_NAME} does not match the tasks in config.json: "
                            f"{exc}. The directory mixes files of two models; retrain.") from exc
    model.eval()
    return model, tokenizer, cfg


def _plain_lora(spec: dict[str, Any]) -> bool:
    """True for a plain LoRA adapter: no DoRA, rsLoRA, biases, per-module ranks or extras."""
    if spec.get("peft_type") != "LORA":
        return False
    if spec.get("use_dora") or spec.get("use_rslora") or spec.get("fan_in_fan_out"):
        return False
    if spec.get("bias", "none") != "none" or spec.get("lora_bias"):
        return False
    return not any(spec.get(k) for k in ("alpha_pattern", "rank_pattern", "layer_replication",
                                          "modules_to_save", "trainable_token_indices"))


def lora_deltas(adapter_dir: Path) -> dict[str, Any] | None:
    """The weight updates ``(alpha / r) * B @ A`` of a plain peft LoRA adapter, keyed by the
    encoder parameter they add to (``encoder.layer.0.attention.self.query.weight``...), or
    None for an adapter this does not handle (DoRA, rsLoRA, per-module ranks...)."""
    from safetensors.torch import load_file

    spec = json.loads((adapter_dir / "adapter_config.json").read_text(encoding="utf-8"))
    if not _plain_lora(spec):
        return None
    scale = float(spec["lora_alpha"]) / float(spec["r"])
    tensors = load_file(str(adapter_dir / ADAPTER_NAME))
    deltas = {}
    for key, a in tensors.items():
        if key.endswith(".lora_A.weight"):
            b = tensors.get(key.replace(".lora_A.weight", ".lora_B.weight"))
            if b is None:
                return None
            name = key[: -len(".lora_A.weight")].removeprefix("base_model.model.")
            deltas[name + ".weight"] = (b @ a) * scale
    return deltas if len(deltas) * 2 == len(tensors) else None


def merge_lora(encoder: Any, adapter_dir: Path) -> bool:
    """Merge a plain LoRA adapter into ``encoder``'s weights in place, as peft's
    ``merge_and_unload`` does, without importing peft (about 1.7 s). Returns False,
    changing nothing, when :func:`lora_deltas` cannot handle the adapter."""
    import torch

    deltas = lora_deltas(adapter_dir)
    params = dict(encoder.named_parameters())
    if deltas is None or any(name not in params for name in deltas):
        return False
    with torch.no_grad():
        for name, delta in deltas.items():
            params[name] += delta.to(params[name].dtype)
    return True


def _backup_path(path: Path) -> Path:
    return path.parent / f".{path.name}.previous"


def save_model(model, tokenizer, cfg: ModelConfig, out: str | os.PathLike[str], *,  # type: ignore[no-untyped-def]
               card: str | None = None, metrics: dict[str, Any] | None = None) -> Path:
    """Write a model directory atomically: into a temporary folder beside ``out``, then rename.

    A process killed at any moment leaves either the previous directory or the new
    one complete (an interrupted swap leaves ``.<name>.previous``, which loading finds).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from dataclasses import replace
        >>> model, tokenizer, cfg = load_model(default_model_dir(), backend="transformers")
        >>> full = replace(cfg, adapter="full")  # a loaded model has its LoRA merged in
        >>> out = save_model(model, tokenizer, full, Path(tempfile.mkdtemp()) / "copy")
        >>> sorted(p.name for p in out.iterdir())[:3]
        ['config.json', 'encoder', 'heads.safetensors']
    """
    from safetensors.torch import save_file

    if cfg.adapter == "lora" and not hasattr(model.encoder, "peft_config"):
        raise ValueError("cfg.adapter is 'lora' but the encoder has no LoRA adapter (a loaded "
                         "model has it merged in); save it with dataclasses.replace(cfg, "
                         "adapter='full')")
    target = Path(out).expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes 0700; give the usual directory mode
    try:
        encoder = model.encoder
        if cfg.adapter == "lora":
            encoder.save_pretrained(str(tmp), safe_serialization=True)
            extra = tmp / "README.md"  # peft writes a stub card; ours replaces it
            if extra.exists():
                extra.unlink()
            adapter_cfg = tmp / "adapter_config.json"  # record the base by name, not local path
            spec = json.loads(adapter_cfg.read_text(encoding="utf-8"))
            spec["base_model_name_or_path"] = cfg.base_name
            adapter_cfg.write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
        else:
            encoder.save_pretrained(str(tmp / ENCODER_DIR), safe_serialization=True)
        heads = {k: v.detach().cpu().contiguous() for k, v in model.heads.state_dict().items()}
        save_file(heads, str(tmp / HEADS_NAME), metadata={"format": "pt"})
        tokenizer.save_pretrained(str(tmp))
        (tmp / CONFIG_NAME).write_text(json.dumps(cfg.to_json(), indent=2) + "\n", encoding="utf-8")
        if metrics is not None:
            (tmp / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        if card is not None:
            (tmp / "README.md").write_text(card, encoding="utf-8")
        for stray in tmp.rglob("*"):
            if stray.suffix in _PICKLE_SUFFIXES:
                stray.unlink()
        backup = _backup_path(target)
        if backup.exists():
            shutil.rmtree(backup)
        if target.exists():
            os.rename(target, backup)
        os.rename(tmp, target)
        if backup.exists():
            shutil.rmtree(backup)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


DEFAULT_MODEL_NAME = "stancekit-default"


def default_model_dir() -> Path:
    """Directory of the default model.

    A wheel carries it inside the package (``stancekit/default_model``); a source
    checkout or editable install finds it at ``models/stancekit-default``.

    Example:
        >>> default_model_dir().name in ("default_model", "stancekit-default")
        True
    """
    packaged = Path(__file__).resolve().parent / "default_model"
    if (packaged / CONFIG_NAME).exists():
        return packaged
    source = Path(__file__).resolve().parent.parent / "models" / DEFAULT_MODEL_NAME
    if (source / CONFIG_NAME).exists():
        return source
    raise ModelDirError(
        f"the default model is missing (looked in {packaged} and {source}); reinstall "
        "stancekit, or rebuild it with 'python training/build_default.py'"
    )


def config_summary(cfg: ModelConfig) -> dict[str, Any]:
    """A short, JSON-able description of a model config (used by ``stancekit info``)."""
    return {"tasks": {t.name: list(t.labels) for t in cfg.tasks}, "base": cfg.base_name,
            "base_sha256": cfg.base_sha256, "adapter": cfg.adapter,
            "pair_input": cfg.pair_input, "max_length": cfg.max_length,
            "temperatures": cfg.temperatures, **({"training": cfg.training} if cfg.training else {})}


__all__ = [
    "ModelConfig",
    "asdict",
    "config_summary",
    "default_model_dir",
    "load_model",
    "read_config",
    "save_model",
]
