"""The network: one shared transformer encoder, mean pooling, one linear head per task.

Optional target text (stance toward something other than negotiation) is encoded as
the second segment of a text pair by the tokenizer; the network itself does not care.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from .schema import Task


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Average the token vectors where ``attention_mask`` is 1 (sentence-transformers style).

    Example:
        >>> import torch
        >>> h = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [9.0, 9.0]]])
        >>> mean_pool(h, torch.tensor([[1, 1, 0]])).tolist()
        [[2.0, 3.0]]
    """
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)


class MultiTaskModel(nn.Module):
    """Shared encoder and one classification head per task.

    ``forward`` returns a dict with ``logits`` (a tuple, one tensor per task, in task
    order) and, when labels ``labels_<task>`` are given, the summed cross-entropy
    ``loss``. A label of -100 is ignored, so rows may lack some tasks' labels. When a
    teacher's softened probabilities ``soft_<task>`` are given too, the task's loss is
    ``(1 - distill_alpha) * cross-entropy + distill_alpha * distill_loss``.
    """

    def __init__(self, encoder: nn.Module, tasks: Sequence[Task], *, dropout: float = 0.1,
                 class_weights: dict[str, torch.Tensor] | None = None,
                 distill_alpha: float = 0.5, distill_temperature: float = 2.0) -> None:
        super().__init__()
        self.encoder = encoder
        self.tasks = tuple(tasks)
        hidden = int(encoder.config.hidden_size)
        self.dropout = nn.Dropout(dropout)
        self.heads = nn.ModuleDict({t.name: nn.Linear(hidden, len(t.labels)) for t in self.tasks})
        self.class_weights = class_weights or {}
        self.distill_alpha = distill_alpha
        self.distill_temperature = distill_temperature

    @property
    def config(self):  # type: ignore[no-untyped-def]
        """The encoder's config (the Trainer reads a few fields from it)."""
        return self.encoder.config

    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
               token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
        if token_type_ids is not None:
            kwargs["token_type_ids"] = token_type_ids
        out = self.encoder(**kwargs)
        return mean_pool(out.last_hidden_state, attention_mask)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor | None = None,
                **labels: torch.Tensor) -> dict[str, object]:
        pooled = self.dropout(self.encode(input_ids, attention_mask, token_type_ids))
        logits = tuple(self.heads[t.name](pooled) for t in self.tasks)
        result: dict[str, object] = {"logits": logits}
        if any(key.startswith(("labels_", "soft_")) for key in labels):
            loss = pooled.new_zeros(())
            for task, task_logits in zip(self.tasks, logits):
                soft = labels.get(f"soft_{task.name}")
                hard_share = 1.0 - self.distill_alpha if soft is not None else 1.0
                target = labels.get(f"labels_{task.name}")
                if target is not None and not bool((target == -100).all()) and hard_share > 0:
                    weight = self.class_weights.get(task.name)
                    if weight is not None:
                        weight = weight.to(task_logits.device, task_logits.dtype)
                    loss = loss + hard_share * nn.functional.cross_entropy(
                        task_logits, target, weight=weight, ignore_index=-100)
                if soft is not None:
                    loss = loss + self.distill_alpha * distill_loss(
                        task_logits, soft.to(task_logits.dtype), self.distill_temperature)
            result["loss"] = loss
        return result


def distill_loss(student_logits: torch.Tensor, teacher_probs: torch.Tensor,
                 temperature: float) -> torch.Tensor:
    """Knowledge-distillation loss (Hinton et al., 2015): KL(teacher || student) at
    ``temperature``, times temperature squared; ``teacher_probs`` are already softened.

    Example:
        >>> import torch
        >>> p = torch.tensor([[0.7, 0.3]])
        >>> round(float(distill_loss(torch.log(p) * 2.0, p, 2.0)), 6)
        0.0
    """
    log_student = nn.functional.log_softmax(student_logits / temperature, dim=-1)
    return nn.functional.kl_div(log_student, teacher_probs, reduction="batchmean") * temperature ** 2
