from pathlib import Path

from stancekit.segment import segment

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_0234990e34670abe.txt"


def test_offsets_match_text():
    text = SEED.read_text(encoding="utf-8")
    units = segment(text)
    assert len(units) >= 14
    for u in units:
        assert text[u.start:u.end] == u.text
        assert u.text == u.text.strip()


def test_headline_and_boilerplate_kept_whole():
    text = "Talks stall over border map | World News\n\nALSO READ:\n\nThe sides met. Nothing moved."
    units = segment(text)
    assert [u.text for u in units] == [
        "Talks stall over border map | World News", "ALSO READ:", "The sides met.",
        "Nothing moved."]
    assert [u.kind for u in units][:2] == ["line", "line"]


def test_wrapped_lines_are_joined():
    text = "The mediator said the two delegations\nwould meet again on Friday. Then they left."
    units = segment(text)
    assert units[0].text == "The mediator said the two delegations\nwould meet again on Friday."
    assert units[1].text == "Then they left."


def test_abbreviations_do_not_split():
    units = segment("U.S. envoy Steve Witkoff met Mr. Putin in St. Petersburg on Friday. Talks ended.")
    assert len(units) == 2


def test_empty_and_whitespace():
    assert segment("") == []
    assert segment(" \n\n\t ") == []


def test_seed_article_gold_units_recovered():
    """Sentence splitting against the gold units of the seed article."""
    import json

    root = SEED.parent
    arts = [json.loads(line) for line in (root / "articles.jsonl").read_text().splitlines()]
    seed = next(a for a in arts if a["id"] == "seed-000")
    gold = {(u["start"], u["end"]) for u in seed["units"]}
    found = {(u.start, u.end) for u in segment(seed["text"])}
    recall = len(gold & found) / len(gold)
    assert recall >= 0.7
