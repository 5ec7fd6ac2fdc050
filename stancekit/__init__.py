"""stancekit: label English sentences by claim type and by stance toward negotiation.

Example:
    >>> import stancekit
    >>> r = stancekit.classify("Both sides should return to the table, the mediator said.")
    >>> r.claim_type.label in ("fact", "value", "policy", "prediction", "commitment", "none")
    True
"""

from __future__ import annotations

__version__ = "0.1.0"

from collections.abc import Iterable

from .errors import BaseModelError, DataError, ModelDirError, StancekitError

# Both submodules are imported eagerly so that the names ``stancekit.evaluate`` and
# ``stancekit.train`` end up bound to the functions: Python binds a submodule to its parent's
# attribute only on first import, which happens here, before the function names are bound.
# ``from stancekit.evaluate import task_report`` keeps working through sys.modules.
from .evaluate import EvalReport, evaluate
from .predict import Classifier, load
from .results import Result, TaskResult, to_frame
from .schema import DEFAULT_TASKS, Task
from .segment import Unit, segment
from .train import TrainingConfig, TrainResult, train


def classify(texts: str | Iterable[str], *, model: str | None = None, batch_size: int = 64,
             min_score: float | None = None, split: bool = False,
             targets: str | Iterable[str] | None = None) -> Result | list[Result]:
    """Label a sentence (returns a :class:`Result`) or many (a list), with the default
    model or the saved model directory ``model``; the model is loaded once per process.

    Example:
        >>> import stancekit
        >>> [r.stance.label in ("favor", "against", "neutral", "unrelated")
        ...  for r in stancekit.classify(["Talks resume today.", "Shelling went on."])]
        [True, True]
    """
    return load(model).classify(texts, batch_size=batch_size, min_score=min_score, split=split,
                                targets=targets)


def classify_document(text: str, *, model: str | None = None, batch_size: int = 64,
                      min_score: float | None = None) -> list[Result]:
    """Split an article into units (sentences, headlines, boilerplate lines) and label each;
    results carry character offsets ``start``/``end``.

    Example:
        >>> import stancekit
        >>> units = stancekit.classify_document("Talks stall\\n\\nThe sides met. No deal.")
        >>> [u.text for u in units]
        ['Talks stall', 'The sides met.', 'No deal.']
    """
    return load(model).classify_document(text, batch_size=batch_size, min_score=min_score)


__all__ = [
    "DEFAULT_TASKS",
    "BaseModelError",
    "Classifier",
    "DataError",
    "EvalReport",
    "ModelDirError",
    "Result",
    "StancekitError",
    "Task",
    "TaskResult",
    "TrainResult",
    "TrainingConfig",
    "Unit",
    "__version__",
    "classify",
    "classify_document",
    "evaluate",
    "load",
    "segment",
    "to_frame",
    "train",
]
