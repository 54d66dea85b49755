from entraide.drafting.rules import evaluate

from .helpers import complete_extradition, complete_mla, complete_preservation


def test_complete_drafts_have_no_blocking_or_warning(officer):
    for draft in (
        complete_mla(officer),
        complete_extradition(officer),
        complete_extradition(officer, "provisional_arrest"),
        complete_preservation(officer),
    ):
        findings = [f for f in evaluate(draft) if f.severity != "advice"]
        assert findings == [], (draft.case.kind, [(f.rule, f.message) for f in findings])
