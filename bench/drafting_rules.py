"""Time the drafting rule engine and the request document on a large draft.

A draft with 20 measures (every measure type of the catalogue, some twice), 10 subjects, 5 offences, 4 annexes and
every section filled, on a fresh SQLite database in a temporary directory. Measured:

- ``evaluate(draft)``: what the composer runs after each save (loads the draft's data in a few queries, then runs
  every rule);
- ``run(context)``: the rules alone, on data already loaded;
- ``render_pdf`` and ``render_docx`` of the request (typst and python-docx), in French and in Arabic.

Usage: uv run python bench/drafting_rules.py [--repeat 50]
Targets (issue #3): rules ≤ 50 ms, PDF ≤ 2 s, on a 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _setup(tmp: Path) -> None:
    os.environ["ENTRAIDE_DATA_DIR"] = str(tmp)
    os.environ["ENTRAIDE_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _large_draft():  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from entraide.accounts.models import Role, User
    from entraide.cases import actions as case_actions
    from entraide.cases.catalogue import DEFINITIONS
    from entraide.drafting import actions
    from entraide.drafting.models import Draft
    from entraide.drafting.tests.helpers import reference_data

    data = reference_data()
    officer = User.objects.create(username="bench_officer", role=Role.OFFICER)
    draft = actions.start_draft(actor=officer, kind="mla", counterpart_country=data["fr"], title="Large request")
    case = draft.case
    case_actions.update_case(case, actor=officer, legal_basis=data["bilateral"])
    offences = [
        case_actions.add_offence(
            case,
            actor=officer,
            iccs_section="07",
            description=f"Offence {i}",
            legal_provision=f"Penal Code art. {500 + i}",
        )
        for i in range(5)
    ]
    for i in range(10):
        case_actions.add_subject(
            case,
            actor=officer,
            kind="person",
            role="suspect" if i % 2 else "witness",
            name=f"Person {i}",
            nationality=data["ma"],
            birth_date=dt.date(1980, 1, 1 + i),
            identifiers=[{"type": "passport", "value": f"AB{i:07d}"}],
        )
    types = list(DEFINITIONS)
    measures = []
    for i in range(20):
        mtype = types[i % len(types)]
        details = {}
        for spec in DEFINITIONS[mtype].fields:
            if spec.kind == "bool":
                details[spec.name] = True
            elif spec.kind == "date":
                details[spec.name] = "2024-01-01" if spec.name != "period_to" else "2024-12-31"
            elif spec.kind == "choice":
                details[spec.name] = spec.choices[0][0]
            else:
                details[spec.name] = f"{spec.name} of measure {i}"
        measures.append(case_actions.add_measure(case, actor=officer, type=mtype, details=details))
    draft = Draft.objects.get(pk=draft.pk)
    for i in range(4):
        document = case_actions.add_document(
            case,
            SimpleUploadedFile(f"annex{i}.pdf", b"%PDF-1.4 annex"),
            actor=officer,
            kind="annex",
            title=f"Annex {i}",
        )
        actions.add_annex(
            Draft.objects.get(pk=draft.pk), actor=officer, title=f"Annex {i}", role="other", document=document
        )
    today = timezone.localdate()
    long_text = "Les faits sont exposés en détail. " * 60
    actions.save_content(
        Draft.objects.get(pk=draft.pk),
        actor=officer,
        changes={
            "requesting_authority": "Public prosecutor, Rabat",
            "proceeding_stage": "investigation",
            "proceeding_authority": "Investigating judge, Rabat",
            "subject_matter": {"fr": "Escroquerie en bande organisée", "ar": "احتيال منظم"},
            "facts": {"fr": long_text, "ar": "قام المشتبه بهم بتحويل أموال المستثمرين. " * 60},
            "purpose": {"fr": "Établir le circuit des fonds.", "ar": "تحديد مسار الأموال."},
            "admissibility": "Copies certifiées conformes.",
            "dual_criminality": "Article 313-1 du code pénal français.",
            "confidentiality": "Ne pas informer les personnes visées.",
            "contact_name": "A. Benali",
            "contact_email": "a.benali@justice.example",
            "limitation_date": (today + dt.timedelta(days=3650)).isoformat(),
            "preservation_start": today.isoformat(),
            "follow_up_planned_on": (today + dt.timedelta(days=30)).isoformat(),
            "necessity": "Deletion after 90 days.",
            "request_language": "fr",
            "source_language": "fr",
        },
    )
    for measure in measures:
        actions.save_measure_link(
            Draft.objects.get(pk=draft.pk),
            measure.pk,
            actor=officer,
            offences=[offences[measure.pk % 5].pk],
            relevance="These records show where the funds went.",
            evidence_form="Certified copies.",
        )
    return Draft.objects.get(pk=draft.pk)


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(Path(tmp))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from entraide.drafting.document import build_letter
        from entraide.drafting.rules import RULES, context_for, evaluate, run
        from entraide.letters import render_docx, render_pdf

        draft = _large_draft()
        case = draft.case
        findings = evaluate(draft)
        with CaptureQueriesContext(connection) as queries:
            evaluate(draft)
        print(
            f"draft: {case.measures.count()} measures, {case.subjects.count()} subjects, {case.offences.count()} "
            f"offences, {len(draft.content.get('annexes', []))} annexes; {len(RULES)} code rules; "
            f"{len(findings)} findings; evaluate() runs {len(queries)} queries"
        )
        ctx = context_for(draft)
        rows = [
            ("evaluate(draft): load + every rule", _time(lambda: evaluate(draft), args.repeat)),
            ("run(context): every rule, data loaded", _time(lambda: run(ctx), args.repeat)),
        ]
        for lang in ("fr", "ar"):
            draft.content["request_language"] = lang
            letter = build_letter(draft)
            pdf = render_pdf(letter)
            rows.append(
                (
                    f"render_pdf ({lang}, {len(pdf) // 1024} KiB)",
                    _time(lambda letter=letter: render_pdf(letter), max(5, args.repeat // 5)),
                )
            )
            rows.append(
                (f"render_docx ({lang})", _time(lambda letter=letter: render_docx(letter), max(5, args.repeat // 5)))
            )
            rows.append((f"build_letter ({lang})", _time(lambda: build_letter(draft), max(5, args.repeat // 5))))
        print("\n| what | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|")
        for name, (p50, p95, worst) in rows:
            print(f"| {name} | {p50:.1f} | {p95:.1f} | {worst:.1f} |")
        print(f"\nCPU: {os.cpu_count()} cores; Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
