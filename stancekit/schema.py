"""Tasks and label sets.

The default schema is the one in ``seeds/CODEBOOK.md``: ``claim_type`` and ``stance``.
Users may train on any tasks; a :class:`Task` is just a name and its ordered labels.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """One classification task: a name and its ordered label set.

    Example:
        >>> t = Task("stance", ("favor", "against", "neutral", "unrelated"))
        >>> t.label2id["against"]
        1
    """

    name: str
    labels: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.name or not self.name.isidentifier():
            raise ValueError(
                f"task name {self.name!r} is not a valid identifier; use letters, digits "
                "and underscores, e.g. 'claim_type'"
            )
        if len(self.labels) < 2:
            raise ValueError(
                f"task {self.name!r} has {len(self.labels)} label(s) {list(self.labels)}; "
                "a classification task needs at least two classes in the training data"
            )
        if len(set(self.labels)) != len(self.labels):
            raise ValueError(f"task {self.name!r} has duplicate labels: {list(self.labels)}")

    @property
    def id2label(self) -> dict[int, str]:
        """Map from class index to label name."""
        return dict(enumerate(self.labels))

    @property
    def label2id(self) -> dict[str, int]:
        """Map from label name to class index."""
        return {label: i for i, label in enumerate(self.labels)}


CLAIM_TYPE = Task("claim_type", ("fact", "value", "policy", "prediction", "commitment", "none"))
STANCE = Task("stance", ("favor", "against", "neutral", "unrelated"))
DEFAULT_TASKS: tuple[Task, ...] = (CLAIM_TYPE, STANCE)
