"""The obvious alternative to stancekit's recipe: a plain ``transformers`` fine-tune.

``AutoModelForSequenceClassification`` on the same base encoder, the ``Trainer`` with its
default hyper-parameters (learning rate 5e-5, 3 epochs, batch 8, no warm-up, no weight
decay), unweighted cross-entropy, no dev set and the last checkpoint: what a new user
writes from the transformers tutorial. Benchmark scripts run it beside stancekit on the
same training rows so the two can be compared in one run.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from typing import Any

import numpy as np


def plain_finetune(train_texts: Sequence[str], train_labels: Sequence[str],
                   texts: Sequence[str], *, base_path: str,
                   train_pairs: Sequence[str] | None = None, pairs: Sequence[str] | None = None,
                   seed: int = 42, epochs: float = 3.0, learning_rate: float = 5e-5,
                   batch_size: int = 8, max_length: int = 128) -> dict[str, Any]:
    """Fine-tune ``base_path`` on (text[, pair]) -> label and predict ``texts``.

    Returns ``{"predictions": [...], "probs": array, "labels": [...], "train_seconds": s,
    "settings": {...}}``.
    """
    import datasets
    import torch
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        DataCollatorWithPadding,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    labels = sorted(set(train_labels))
    label2id = {lab: i for i, lab in enumerate(labels)}
    set_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(base_path)
    model = AutoModelForSequenceClassification.from_pretrained(
        base_path, num_labels=len(labels), id2label=dict(enumerate(labels)), label2id=label2id,
        use_safetensors=True)

    def encode(x: Sequence[str], p: Sequence[str] | None) -> dict[str, Any]:
        if p is None:
            return dict(tokenizer(list(x), truncation=True, max_length=max_length))
        return dict(tokenizer(list(x), list(p), truncation="only_first", max_length=max_length))

    train_ds = datasets.Dataset.from_dict(
        {**encode(train_texts, train_pairs), "labels": [label2id[y] for y in train_labels]})
    test_ds = datasets.Dataset.from_dict(encode(texts, pairs))
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        args = TrainingArguments(output_dir=tmp, num_train_epochs=epochs,
                                 learning_rate=learning_rate,
                                 per_device_train_batch_size=batch_size,
                                 per_device_eval_batch_size=64, save_strategy="no",
                                 report_to="none", seed=seed, disable_tqdm=True,
                                 log_level="error", dataloader_pin_memory=False)
        trainer = Trainer(model=model, args=args, train_dataset=train_ds,
                          data_collator=DataCollatorWithPadding(tokenizer))
        trainer.train()
        logits = trainer.predict(test_ds).predictions
    probs = torch.softmax(torch.as_tensor(np.asarray(logits)), dim=-1).numpy()
    return {"labels": labels, "predictions": [labels[i] for i in probs.argmax(axis=1)],
            "probs": probs, "train_seconds": round(time.time() - started, 1),
            "settings": {"model": "AutoModelForSequenceClassification", "epochs": epochs,
                         "learning_rate": learning_rate, "batch_size": batch_size,
                         "class_weights": None, "checkpoint": "last", "seed": seed}}
