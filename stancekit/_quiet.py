"""Silence the chatter of transformers/peft while loading (progress bars, deprecation notes)."""

from __future__ import annotations

import os
import warnings


def quiet_libraries() -> None:
    """Turn off load-time progress bars and informational warnings of transformers."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover
        pass
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"transformers\..*")
    warnings.filterwarnings("ignore", message=".*pin_memory.*")
