"""Training: one shared encoder (LoRA by default) and one head per task, on the HF ``Trainer``.

Because the loop is the transformers ``Trainer``, ``accelerate launch`` or ``torchrun``
run it on several GPUs unchanged.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from .base import DEFAULT_BASE, resolve_base
from .calibrate import fit_temperature, softmax
from .data import DataLike, Prepared, infer_tasks, prepare, read_table
from .errors import DataError
from .metrics import task_scores
from .schema import Task


@dataclass
class TrainingConfig:
    """Options of a training run (all have defaults; override by keyword).

    Example:
        >>> TrainingConfig(epochs=3, seed=7).adapter
        'lora'
    """

    base: str = DEFAULT_BASE
    text_column: str = "text"
    label_columns: tuple[str, ...] = ("claim_type", "stance")
    target_column: str | None = None
    adapter: str = "lora"  # "lora" (small, the default) or "full" fine-tuning
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.1
    epochs: float = 8.0
    max_steps: int = -1
    batch_size: int = 32
    learning_rate: float = 1e-3
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    max_length: int = 128
    class_weights: str | dict[str, dict[str, float]] | None = "balanced"
    early_stopping_patience: int | None = 3
    # the dev metric that picks the best checkpoint and drives early stopping, per task
    # (as in evaluate: {"stance": "semeval_favg"}, or one name for every task); the mean
    # over tasks is compared. Default: macro-F1 of every task.
    metric: dict[str, str] | str | None = None
    positive_label: dict[str, str] | str | None = None
    # knowledge distillation: a trained stancekit model (directory) with the same tasks and
    # labels; its softened probabilities on the training rows join the loss
    teacher: str | None = None
    distill_alpha: float = 0.5  # share of the teacher term in each task's loss
    distill_temperature: float = 2.0
    eval_steps: int | None = None  # None: evaluate once per epoch
    dev_fraction: float = 0.1  # carved from train when no dev data is given
    seed: int = 42
    allow_missing_labels: bool = False
    calibrate: bool = True
    quiet: bool = False
    checkpoint_dir: str | None = None  # default: <out>.checkpoints beside the output
    resume: bool = False
    keep_checkpoints: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.label_columns, str):
            self.label_columns = tuple(c.strip() for c in self.label_columns.split(",") if c.strip())
        self.label_columns = tuple(self.label_columns)
        if not self.label_columns:
            raise ValueError("label_columns is empty; name at least one label column")
        if self.adapter not in ("lora", "full"):
            raise ValueError(f"adapter must be 'lora' or 'full', got {self.adapter!r}")
        if not 0.0 <= self.distill_alpha <= 1.0 or self.distill_temperature <= 0:
            raise ValueError("distill_alpha must lie in [0, 1] and distill_temperature be > 0, "
                             f"got {self.distill_alpha} and {self.distill_temperature}")


@dataclass
class TrainResult:
    """What :func:`train` returns: where the model went and its dev figures."""

    path: Path
    metrics: dict[str, Any]


def _class_weights(cfg: TrainingConfig, tasks: Sequence[Task], train: Prepared):  # type: ignore[no-untyped-def]
    import torch

    if cfg.class_weights is None:
        return {}
    weights = {}
    for task in tasks:
        ids = np.array([i for i in train.labels[task.name] if i != -100])
        if cfg.class_weights == "balanced":
            counts = np.bincount(ids, minlength=len(task.labels)).astype(float)
            w = np.where(counts > 0, len(ids) / (len(task.labels) * np.maximum(counts, 1)), 0.0)
        elif isinstance(cfg.class_weights, dict):
            given = cfg.class_weights.get(task.name, {})
            unknown = set(given) - set(task.labels)
            if unknown:
                raise DataError(f"class_weights for {task.name!r} name unknown labels "
                                f"{sorted(unknown)}; labels are {list(task.labels)}")
            w = np.array([float(given.get(lab, 1.0)) for lab in task.labels])
        else:
            raise ValueError("class_weights must be 'balanced', None or {task: {label: weight}}")
        weights[task.name] = torch.tensor(w, dtype=torch.float32)
    return weights


def _teacher_probs(teacher_dir: str, cfg: TrainingConfig, tasks: Sequence[Task],
                   data: Prepared) -> dict[str, list[list[float]]]:
    """The teacher's probabilities at the distillation temperature on ``data``, per task,
    with columns in the student's label order."""
    from .predict import Classifier

    teacher = Classifier.from_pretrained(teacher_dir)
    if teacher.config.pair_input != (data.targets is not None):
        reads = "reads" if teacher.config.pair_input else "does not read"
        has = "has one" if data.targets is not None else "has none"
        raise DataError(f"teacher {teacher_dir} {reads} a target column but the training data "
                        f"{has}; use a teacher trained on the same kind of input")
    logits, _ = teacher.logits(data.texts, data.targets)
    by_name = {t.name: (t, lg) for t, lg in zip(teacher.config.tasks, logits)}
    out = {}
    for task in tasks:
        if task.name not in by_name or set(by_name[task.name][0].labels) != set(task.labels):
            have = {t.name: list(t.labels) for t in teacher.config.tasks}
            raise DataError(f"teacher {teacher_dir} has tasks {have}; the student's task "
                            f"{task.name!r} with labels {list(task.labels)} must be among them "
                            "with the same labels")
        t_task, lg = by_name[task.name]
        cols = [t_task.labels.index(lab) for lab in task.labels]
        probs = softmax(lg[:, cols].astype(np.float64), cfg.distill_temperature)
        out[task.name] = probs.astype(np.float32).tolist()
    return out


def _encode(tokenizer: Any, data: Prepared, tasks: Sequence[Task], max_length: int,
            soft: dict[str, list[list[float]]] | None = None):  # type: ignore[no-untyped-def]
    import datasets

    if data.targets is not None:
        enc = tokenizer(data.texts, data.targets, truncation="only_first", max_length=max_length)
    else:
        enc = tokenizer(data.texts, truncation=True, max_length=max_length)
    columns = {k: enc[k] for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc}
    for task in tasks:
        columns[f"labels_{task.name}"] = data.labels[task.name]
    for name, probs in (soft or {}).items():
        columns[f"soft_{name}"] = probs
    return datasets.Dataset.from_dict(columns)


class _Collator:
    def __init__(self, tokenizer: Any, label_keys: Sequence[str]) -> None:
        self.tokenizer = tokenizer
        self.label_keys = list(label_keys)

    def __call__(self, features: list[dict[str, Any]]) -> dict[str, Any]:
        import torch

        labels = {k: torch.tensor([f[k] for f in features], dtype=torch.long)
                  for k in self.label_keys}
        soft = [k for k in features[0] if k.startswith("soft_")]
        labels.update({k: torch.tensor([f[k] for f in features], dtype=torch.float32)
                       for k in soft})
        inputs = [{k: v for k, v in f.items() if k not in self.label_keys and k not in soft}
                  for f in features]
        batch = dict(self.tokenizer.pad(inputs, return_tensors="pt"))
        batch.update(labels)
        return batch


def _per_task(pred: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    """(logits, labels) of each task from a Trainer prediction. The labels come back in the
    order the predictions were made (the eval loader may group by length), so they are
    paired with the logits, never with the dataset's columns."""
    logits = pred.predictions if isinstance(pred.predictions, tuple) else (pred.predictions,)
    labels = pred.label_ids if isinstance(pred.label_ids, tuple) else (pred.label_ids,)
    return [(np.asarray(lg), np.asarray(lab)) for lg, lab in zip(logits, labels)]


def _selection_specs(cfg: TrainingConfig, tasks: Sequence[Task]) -> dict[str, dict[str, Any]]:
    """The checkpoint-selection metric of each task, checked against its labels."""
    from .evaluate import _for_task, parse_assignments, resolve_metric

    metrics = parse_assignments(cfg.metric, what="metric")
    positives = parse_assignments(cfg.positive_label, what="positive_label")
    unknown = set(metrics) | set(positives)
    unknown -= {"*", *(t.name for t in tasks)}
    if unknown:
        raise DataError(f"metric/positive_label name unknown tasks {sorted(unknown)}; the tasks "
                        f"are {[t.name for t in tasks]}")
    return {t.name: resolve_metric(_for_task(metrics, t.name), t.labels,
                                   positive_label=_for_task(positives, t.name), task=t.name)
            for t in tasks}


def _selection_score(task: Task, spec: dict[str, Any], gold: np.ndarray,
                     pred: np.ndarray) -> float:
    """``spec``'s score of label ids ``pred`` against ``gold`` (rows labelled -100 left out)."""
    from .evaluate import headline_score

    keep = np.asarray(gold) != -100
    if not keep.any():
        return float("nan")
    if spec["metric"] == "macro_f1":
        return task_scores(gold, pred)["macro_f1"]
    names = np.asarray(task.labels, dtype=object)
    return headline_score(names[np.asarray(gold)[keep]].tolist(),
                          names[np.asarray(pred)[keep]].tolist(), spec)


def _split_dev(frame: Any, cfg: TrainingConfig):  # type: ignore[no-untyped-def]
    from sklearn.model_selection import train_test_split

    strat = frame[cfg.label_columns[0]]
    counts = strat.value_counts()
    stratify = strat if len(frame) * cfg.dev_fraction >= len(counts) and counts.min() >= 2 else None
    train_df, dev_df = train_test_split(frame, test_size=cfg.dev_fraction, random_state=cfg.seed,
                                        stratify=stratify)
    return train_df.reset_index(drop=True), dev_df.reset_index(drop=True)


def model_card(*, tasks: Sequence[Task], cfg: TrainingConfig, base_name: str, n_train: int,
               n_dev: int, metrics: dict[str, Any], data_note: str = "") -> str:
    """Markdown model card for a trained model."""
    lines = [
        "---", "library_name: stancekit", "language: en", "license: apache-2.0",
        f"base_model: {base_name}", "tags: [text-classification, stance, claims]", "---", "",
        "# stancekit model", "",
        "Multi-task sentence classifier trained with stancekit: one shared encoder "
        f"({base_name}, adapter: {cfg.adapter}) and one linear head per task.", "",
        "## Tasks", "",
    ]
    for t in tasks:
        lines.append(f"- `{t.name}`: {', '.join(f'`{lab}`' for lab in t.labels)}")
    lines += ["", "## Training data", "",
              f"{n_train} training rows, {n_dev} dev rows (early stopping and temperature "
              "scaling). " + data_note, "", "## Metrics", "", "| split | task | macro-F1 | accuracy |",
              "|---|---|---|---|"]
    for split in ("dev", "test"):
        for t in tasks:
            m = metrics.get(split, {}).get(t.name)
            if m:
                lines.append(f"| {split} | {t.name} | {m['macro_f1']:.3f} | {m['accuracy']:.3f} |")
    lines += ["", "## Training configuration", "", "```json",
              json.dumps({k: v for k, v in asdict(cfg).items() if k != "extra"}, indent=2,
                         default=str), "```", "",
              "## Intended use and limits", "",
              "Labels English sentences from news about negotiations for analysis at scale. "
              "Scores are calibrated on dev data by temperature scaling, but every label is a "
              "model guess: read the sentences behind any figure you publish. Not for decisions "
              "about individuals, and not validated on languages other than English or on "
              "domains far from its training data.", ""]
    return "\n".join(lines)


def train(data: DataLike, *, out: str | os.PathLike[str], dev: DataLike | None = None,
          test: DataLike | None = None, config: TrainingConfig | None = None,
          tasks: Sequence[Task] | None = None, data_note: str = "",
          data_ref: str | None = None, **overrides: Any) -> TrainResult:
    """Fine-tune a multi-task classifier and save it to ``out`` (atomically).

    ``data``/``dev``: a CSV/TSV/JSONL path, a DataFrame or a ``datasets.Dataset``. Without
    ``dev`` a stratified ``dev_fraction`` is carved from ``data``. ``test``, when given, is
    scored once at the end and reported in ``metrics.json`` and the model card (never used
    for any choice). ``data_ref`` records where the training data lives (for baselines in
    evaluation reports). ``teacher`` (a trained stancekit model directory) adds knowledge
    distillation from its softened probabilities; ``metric`` chooses the dev metric that
    picks the best checkpoint. Any :class:`TrainingConfig` field can be passed as a keyword.

    Example:
        >>> import stancekit, tempfile
        >>> rows = [{"text": f"Sentence number {i} about talks.", "mood": "up" if i % 2 else "down"}
        ...         for i in range(20)]
        >>> res = stancekit.train(rows, out=tempfile.mkdtemp() + "/m", label_columns=["mood"],
        ...                       max_steps=2, quiet=True)
        >>> sorted(stancekit.load(res.path).labels["mood"])
        ['down', 'up']
    """
    import torch
    from transformers import (
        AutoModel,
        AutoTokenizer,
        EarlyStoppingCallback,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    from ._quiet import quiet_libraries
    from .model import MultiTaskModel
    from .modeldir import ModelConfig, save_model

    quiet_libraries()
    cfg = replace(config or TrainingConfig(), **overrides)
    started = time.time()
    frame = read_table(data)
    for col in [cfg.text_column, *cfg.label_columns]:
        if col not in frame.columns:
            raise DataError(f"training data has no column {col!r}; its columns are "
                            f"{list(frame.columns)}. Use --text-column / --label-columns")
    if dev is None:
        frame, dev_frame = _split_dev(frame, cfg)
    else:
        dev_frame = read_table(dev)
    task_list = list(tasks) if tasks is not None else infer_tasks(frame, cfg.label_columns)
    specs = _selection_specs(cfg, task_list)
    common = {"text_column": cfg.text_column, "label_columns": cfg.label_columns,
              "tasks": task_list, "target_column": cfg.target_column,
              "allow_missing_labels": cfg.allow_missing_labels}
    train_data = prepare(frame, where="training data", **common)
    dev_data = prepare(dev_frame, where="dev data", **common)
    test_data = prepare(read_table(test), where="test data", **common) if test is not None else None

    base = resolve_base(cfg.base)
    set_seed(cfg.seed)
    tokenizer = AutoTokenizer.from_pretrained(base.path)
    encoder = AutoModel.from_pretrained(base.path, use_safetensors=True)
    if cfg.adapter == "lora":
        from peft import LoraConfig, get_peft_model

        lora = LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout,
                          target_modules="all-linear", exclude_modules=r".*pooler.*", bias="none")
        encoder = get_peft_model(encoder, lora)
    model = MultiTaskModel(encoder, task_list,
                           class_weights=_class_weights(cfg, task_list, train_data),
                           distill_alpha=cfg.distill_alpha,
                           distill_temperature=cfg.distill_temperature)

    soft = _teacher_probs(cfg.teacher, cfg, task_list, train_data) if cfg.teacher else None
    train_ds = _encode(tokenizer, train_data, task_list, cfg.max_length, soft)
    dev_ds = _encode(tokenizer, dev_data, task_list, cfg.max_length)
    label_keys = [f"labels_{t.name}" for t in task_list]
    out_path = Path(out).expanduser().resolve()
    ckpt = Path(cfg.checkpoint_dir) if cfg.checkpoint_dir else out_path.parent / (
        out_path.name + ".checkpoints")

    def compute_metrics(pred: Any) -> dict[str, float]:
        result: dict[str, float] = {}
        f1s, chosen = [], []
        for task, (lg, lab) in zip(task_list, _per_task(pred)):
            scores = task_scores(lab, lg.argmax(-1))
            result[f"{task.name}_macro_f1"] = scores["macro_f1"]
            result[f"{task.name}_accuracy"] = scores["accuracy"]
            f1s.append(scores["macro_f1"])
            if specs[task.name]["metric"] == "macro_f1":
                chosen.append(scores["macro_f1"])  # already computed just above
            else:
                chosen.append(_selection_score(task, specs[task.name], lab, lg.argmax(-1)))
                result[f"{task.name}_{specs[task.name]['metric']}"] = chosen[-1]
        result["mean_macro_f1"] = float(np.nanmean(f1s))
        result["selection"] = float(np.nanmean(chosen))
        return result

    strategy = "steps" if cfg.eval_steps else "epoch"
    args = TrainingArguments(
        output_dir=str(ckpt),
        num_train_epochs=cfg.epochs,
        max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.batch_size,
        per_device_eval_batch_size=max(cfg.batch_size, 64),
        learning_rate=cfg.learning_rate,
        weight_decay=cfg.weight_decay,
        warmup_steps=cfg.warmup_ratio,
        eval_strategy=strategy,
        save_strategy=strategy,
        eval_steps=cfg.eval_steps,
        save_steps=cfg.eval_steps,
        logging_strategy=strategy,
        logging_steps=cfg.eval_steps,
        save_total_limit=2,
        load_best_model_at_end=True,
        metric_for_best_model="selection",
        greater_is_better=True,
        label_names=label_keys,
        remove_unused_columns=False,
        report_to="none",
        disable_tqdm=cfg.quiet,
        seed=cfg.seed,
        data_seed=cfg.seed,
        save_only_model=False,
        dataloader_num_workers=0,
        dataloader_pin_memory=False,
        train_sampling_strategy="group_by_length",
        log_level="error",
    )
    callbacks = []
    if cfg.early_stopping_patience:
        callbacks.append(EarlyStoppingCallback(early_stopping_patience=cfg.early_stopping_patience))
    trainer = Trainer(model=model, args=args, data_collator=_Collator(tokenizer, label_keys),
                      train_dataset=train_ds, eval_dataset=dev_ds, compute_metrics=compute_metrics,
                      callbacks=callbacks)
    if cfg.quiet:
        from transformers.trainer_callback import PrinterCallback

        trainer.remove_callback(PrinterCallback)
    resume = None
    if not cfg.resume and ckpt.exists():
        import shutil

        shutil.rmtree(ckpt)  # stale checkpoints of an earlier, interrupted run
    if cfg.resume:
        # a checkpoint is complete once trainer_state.json is written (the Trainer's last step)
        found = sorted((p for p in ckpt.glob("checkpoint-*") if (p / "trainer_state.json").exists()
                        and p.name.split("-")[-1].isdigit()),
                       key=lambda p: int(p.name.split("-")[-1])) if ckpt.exists() else []
        if found:
            resume = str(found[-1])
        else:
            warnings.warn(f"--resume: no checkpoint in {ckpt}; training from the start",
                          stacklevel=2)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*non-tensor.*")
        trainer.train(resume_from_checkpoint=resume)

    model.eval()
    temperatures: dict[str, float] = {}
    dev_metrics: dict[str, Any] = {}
    for task, (lg, labels) in zip(task_list, _per_task(trainer.predict(dev_ds))):
        temperatures[task.name] = fit_temperature(lg, labels) if cfg.calibrate else 1.0
        dev_metrics[task.name] = task_scores(labels, lg.argmax(-1))
        if specs[task.name]["metric"] != "macro_f1":
            dev_metrics[task.name][specs[task.name]["metric"]] = _selection_score(
                task, specs[task.name], labels, lg.argmax(-1))
    test_metrics: dict[str, Any] = {}
    if test_data is not None:
        test_ds = _encode(tokenizer, test_data, task_list, cfg.max_length)
        for task, (lg, labels) in zip(task_list, _per_task(trainer.predict(test_ds))):
            test_metrics[task.name] = task_scores(labels, lg.argmax(-1))
    metrics = {
        "dev": dev_metrics,
        **({"test": test_metrics, "n_test": len(test_data)} if test_data is not None else {}),
        "mean_dev_macro_f1": float(np.mean([m["macro_f1"] for m in dev_metrics.values()])),
        "selection_metric": {name: spec["metric"] for name, spec in specs.items()},
        "best_selection_score": trainer.state.best_metric,
        "temperatures": temperatures,
        "n_train": len(train_data), "n_dev": len(dev_data),
        "epochs_run": float(trainer.state.epoch or 0), "steps": int(trainer.state.global_step),
        "best_checkpoint": trainer.state.best_model_checkpoint,
        **({"distilled_from": str(cfg.teacher)} if cfg.teacher else {}),
        "train_seconds": round(time.time() - started, 1),
    }
    mcfg = ModelConfig(
        tasks=task_list, base_name=base.name, base_sha256=base.sha256, adapter=cfg.adapter,
        max_length=cfg.max_length, pair_input=cfg.target_column is not None,
        temperatures=temperatures, text_column=cfg.text_column, target_column=cfg.target_column,
        version=__version__,
        training={**{k: v for k, v in asdict(cfg).items()
                     if k not in ("extra", "checkpoint_dir", "quiet", "resume")},
                  **({"train_data": data_ref} if data_ref else {})},
    )
    card = model_card(tasks=task_list, cfg=cfg, base_name=base.name, n_train=len(train_data),
                      n_dev=len(dev_data), metrics=metrics, data_note=data_note)
    with torch.no_grad():
        path = save_model(model, tokenizer, mcfg, out_path, card=card, metrics=metrics)
    if not cfg.keep_checkpoints:
        import shutil

        shutil.rmtree(ckpt, ignore_errors=True)
    return TrainResult(path=path, metrics=metrics)
