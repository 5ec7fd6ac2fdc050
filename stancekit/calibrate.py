"""Temperature scaling (Guo et al., 2017): one temperature per head, fitted on dev logits."""

from __future__ import annotations

import numpy as np


def fit_temperature(logits: np.ndarray, labels: np.ndarray, *, max_iter: int = 200) -> float:
    """Find T > 0 minimising the negative log-likelihood of ``softmax(logits / T)``.

    Rows whose label is -100 are ignored. Returns 1.0 when there is nothing to fit.

    Example:
        >>> import numpy as np
        >>> logits = np.array([[4.0, 0.0], [4.0, 0.0], [0.0, 4.0], [4.0, 0.0]])
        >>> labels = np.array([0, 1, 1, 0])
        >>> fit_temperature(logits, labels) > 1.0   # over-confident -> softened
        True
    """
    import torch

    keep = labels != -100
    if keep.sum() == 0:
        return 1.0
    x = torch.as_tensor(logits[keep], dtype=torch.float64)
    y = torch.as_tensor(labels[keep], dtype=torch.long)
    log_t = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=max_iter, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(x / log_t.exp(), y)
        loss.backward()
        return loss

    with torch.enable_grad():
        optimizer.step(closure)
    value = float(log_t.exp().item())
    if not np.isfinite(value) or value <= 0:
        return 1.0
    return float(min(max(value, 0.05), 20.0))


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``logits / temperature``.

    Example:
        >>> import numpy as np
        >>> softmax(np.array([[0.0, 0.0], [2.0, 0.0]]), 2.0).round(3).tolist()
        [[0.5, 0.5], [0.731, 0.269]]
    """
    z = logits / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
