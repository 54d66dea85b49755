"""``entraide matching evaluate``: the shipped labelled set, the JSON shape, bad input."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

PAIRS = Path(__file__).resolve().parents[1] / "data" / "pairs.jsonl"


def _run(*args):
    out = StringIO()
    call_command("matching", "evaluate", *args, stdout=out)
    return out.getvalue()


def test_shipped_pairs_reach_the_target():
    result = json.loads(_run(str(PAIRS), "--json", "--threshold", "0.8"))
    assert set(result) >= {"overall", "categories", "pairs_per_second"}
    overall = result["overall"]
    assert set(overall) >= {"threshold", "precision", "recall", "f1", "best_threshold", "best_f1"}
    assert overall["f1"] >= 0.95, overall
    assert {"arabic", "cyrillic", "south_asian", "southeast_asian", "organization", "identifiers"} <= set(
        result["categories"]
    )
    assert result["pairs_per_second"] > 0


def test_text_report_and_bad_lines(tmp_path):
    path = tmp_path / "pairs.jsonl"
    good = {"id": "1", "kind": "person", "left": {"name": "Mohammed Ali"}, "right": {"name": "محمد علي"}, "match": True}
    bad_iban = {
        "id": "2",
        "kind": "person",
        "left": {"name": "", "identifiers": [{"type": "iban", "value": "XX00 1234"}]},
        "right": {"name": "Someone", "identifiers": [{"type": "phone", "value": "12"}]},
        "match": False,
        "category": "bad",
    }
    path.write_text(
        json.dumps(good, ensure_ascii=False) + "\nnot json\n" + json.dumps(bad_iban) + '\n{"left": 1}\n',
        encoding="utf-8",
    )
    text = _run(str(path))
    assert "OVERALL" in text and "skipped line 2" in text and "skipped line 4" in text
    result = json.loads(_run(str(path), "--json"))
    assert result["overall"]["pairs"] == 2 and len(result["skipped"]) == 2


def test_unusable_input_is_an_error(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("nothing here\n", encoding="utf-8")
    with pytest.raises(CommandError):
        _run(str(empty))
    with pytest.raises(CommandError):
        _run(str(tmp_path / "missing.jsonl"))
    with pytest.raises(CommandError):
        _run(str(PAIRS), "--threshold", "2")
