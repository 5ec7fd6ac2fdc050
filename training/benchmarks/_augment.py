"""Perturbed copies of training texts: a transfer set for distillation.

A student distilled from a teacher learns more when it sees the teacher's probabilities on
more inputs than the labelled ones (TinyBERT's data augmentation; Jiao et al., 2020).
Each copy here is the original text with cheap, label-agnostic perturbations: hashtags
turned into plain words (half the time), then some words dropped or two neighbours
swapped. The teacher's soft labels on the copies carry the signal; the copies inherit the gold label
only for the cross-entropy half of the distillation loss.

    >>> augment_texts(["Peace talks resume in #Geneva today"], copies=2, seed=0)[0]
    ['Peace talks resume #Geneva in today', 'Peace talks resume Geneva in today']
"""

from __future__ import annotations

import random
import re

_HASHTAG = re.compile(r"#(\w+)")


def _drop(words: list[str], rng: random.Random, p: float = 0.15) -> list[str]:
    kept = [w for w in words if rng.random() >= p]
    return kept if len(kept) >= 2 else words


def _swap(words: list[str], rng: random.Random) -> list[str]:
    if len(words) < 3:
        return words
    out = list(words)
    i = rng.randrange(len(out) - 1)
    out[i], out[i + 1] = out[i + 1], out[i]
    return out


def _unhash(words: list[str]) -> list[str]:
    return [_HASHTAG.sub(r"\1", w) for w in words]


def _perturb(words: list[str], rng: random.Random) -> list[str]:
    out = _unhash(words) if rng.random() < 0.5 else words
    return _drop(out, rng) if rng.random() < 0.6 else _swap(out, rng)


def augment_texts(texts: list[str], *, copies: int, seed: int) -> list[list[str]]:
    """``copies`` perturbed versions of each text, each unlike the original and each other.

    A copy has its hashtags made plain words half the time, then either some words dropped
    or two neighbours swapped. Texts too short to vary give fewer distinct copies; the list
    is then padded with repeats so every text has exactly ``copies`` versions.
    """
    rng = random.Random(seed)
    out = []
    for text in texts:
        words = text.split()
        seen = {" ".join(words)}
        variants: list[str] = []
        for _ in range(copies * 10):
            if len(variants) == copies:
                break
            new = " ".join(_perturb(words, rng))
            if new not in seen:
                seen.add(new)
                variants.append(new)
        variants += [variants[0] if variants else text] * (copies - len(variants))
        out.append(variants)
    return out
