"""The admissibility checklist of an incoming request: what it must contain and the grounds to refuse it.

From UNTOC art. 18 (the same in UNCAC art. 46), see ``docs/domain.md`` §5. Each item is assessed with a note;
a requirement is satisfied or missing, a ground applies or does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from entraide.execution.choices import Assessment

REQUIREMENT = "requirement"  # content the request must have (18(14), 18(15))
GROUND = "ground"  # a ground on which the request may be refused (18(9), 18(21))
NOT_A_GROUND = "not_a_ground"  # something that may not justify a refusal (18(8), 18(22))


@dataclass(frozen=True)
class Item:
    code: str
    group: str
    label: str | Promise
    source: str

    @property
    def choices(self) -> list[tuple[str, Any]]:
        if self.group == REQUIREMENT:
            options = [Assessment.MET, Assessment.NOT_MET, Assessment.NOT_APPLICABLE]
        else:
            options = [Assessment.DOES_NOT_APPLY, Assessment.APPLIES]
        return [(Assessment.UNASSESSED.value, Assessment.UNASSESSED.label)] + [(o.value, o.label) for o in options]


ITEMS: tuple[Item, ...] = (
    Item("authority", REQUIREMENT, _("The authority making the request is identified"), "UNTOC 18(15)(a)"),
    Item(
        "subject_matter",
        REQUIREMENT,
        _("The subject matter and nature of the proceedings, and the authority conducting them"),
        "UNTOC 18(15)(b)",
    ),
    Item("facts", REQUIREMENT, _("A summary of the facts (not needed for service of documents)"), "UNTOC 18(15)(c)"),
    Item("assistance", REQUIREMENT, _("The assistance sought and any procedure to be followed"), "UNTOC 18(15)(d)"),
    Item(
        "persons",
        REQUIREMENT,
        _("Where possible, the identity, location and nationality of any person concerned"),
        "UNTOC 18(15)(e)",
    ),
    Item("purpose", REQUIREMENT, _("The purpose of the evidence, information or action sought"), "UNTOC 18(15)(f)"),
    Item("language", REQUIREMENT, _("In writing, in a language this State accepts"), "UNTOC 18(14)"),
    Item("conformity", GROUND, _("The request is not made in conformity with the treaty"), "UNTOC 18(21)(a)"),
    Item(
        "essential_interests",
        GROUND,
        _("Execution would prejudice sovereignty, security, ordre public or other essential interests"),
        "UNTOC 18(21)(b)",
    ),
    Item(
        "domestic_prohibition",
        GROUND,
        _("Domestic law would forbid the action for a similar offence under our own jurisdiction"),
        "UNTOC 18(21)(c)",
    ),
    Item("legal_system", GROUND, _("Granting the request would be contrary to our legal system"), "UNTOC 18(21)(d)"),
    Item("dual_criminality", GROUND, _("The conduct is not an offence under our law"), "UNTOC 18(9)"),
    Item("bank_secrecy", NOT_A_GROUND, _("Bank secrecy is invoked"), "UNTOC 18(8)"),
    Item("fiscal", NOT_A_GROUND, _("The offence is considered to involve fiscal matters"), "UNTOC 18(22)"),
)
BY_CODE = {item.code: item for item in ITEMS}
GROUP_LABELS: dict[str, str | Promise] = {
    REQUIREMENT: _("Content of the request"),
    GROUND: _("Grounds for refusal"),
    NOT_A_GROUND: _("Not grounds for refusal"),
}
