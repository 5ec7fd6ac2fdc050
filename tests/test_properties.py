"""Property-based: random unicode never breaks the splitter or classify."""

from __future__ import annotations

import warnings
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stancekit
from stancekit.segment import segment


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_segment_offsets_within_text(text: str):
    units = segment(text)
    for u in units:
        assert 0 <= u.start < u.end <= len(text)
        assert text[u.start:u.end] == u.text
        assert u.text.strip() == u.text
    starts = [u.start for u in units]
    assert starts == sorted(starts)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=200), min_size=1, max_size=6))
def test_classify_random_unicode(tiny_model: Path, texts: list[str]):
    clf = stancekit.load(tiny_model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = clf.classify(texts)
        assert len(out) == len(texts)
        for text, r in zip(texts, out):
            assert r.text == text
            if r.stance.label is None:  # empty once control characters are dropped
                assert r.warnings == ("empty text: no label",)
            else:
                assert r.stance.label in clf.labels["stance"]
        for doc in texts:
            for r in clf.classify_document(doc):
                assert doc[r.start:r.end] == r.text
