"""``entraide matching evaluate PAIRS.jsonl [--json] [--threshold T]`` and ``entraide matching reindex``."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Deconfliction: evaluate the matcher on labelled pairs, or rebuild the index of subjects."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        evaluate = sub.add_parser("evaluate", help="Precision, recall and F1 on labelled pairs (JSON lines).")
        evaluate.add_argument("pairs", help="A JSON-lines file of labelled pairs, or - for standard input.")
        evaluate.add_argument("--json", action="store_true", help="Print one JSON object.")
        evaluate.add_argument("--threshold", type=float, default=None, help="Default: ENTRAIDE_MATCH_THRESHOLD.")
        reindex = sub.add_parser(
            "reindex", help="Rebuild the index of subjects from every matter and informal contact."
        )
        reindex.add_argument(
            "--missing",
            action="store_true",
            help="Only the subjects not indexed yet, in bulk (fast; after a bulk load).",
        )
        deconflict = sub.add_parser("deconflict", help="Deconflict every indexed subject (no notifications).")
        deconflict.add_argument("--notify", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "evaluate":
            self._evaluate(options)
        elif action == "reindex":
            from entraide.matching.index import index_missing, rebuild

            self.stdout.write(f"{index_missing() if options['missing'] else rebuild()} subjects indexed.")
        elif action == "deconflict":
            from entraide.matching.deconflict import deconflict_entry
            from entraide.matching.models import Entry

            found = 0
            for entry in Entry.objects.iterator():
                found += len(deconflict_entry(entry, notify=options["notify"]))
            self.stdout.write(f"{found} possible matches at or above the threshold.")

    def _evaluate(self, options: dict[str, Any]) -> None:
        from entraide.matching.deconflict import threshold
        from entraide.matching.evaluate import evaluate, format_text, load

        path = options["pairs"]
        try:
            if path == "-":
                loaded = load(sys.stdin)
            else:
                with open(path, encoding="utf-8") as fh:
                    loaded = load(fh)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text: {error}") from error
        if not loaded.pairs:
            raise CommandError(f"No usable pair in {path}." + "".join(f"\n{p}" for p in loaded.problems[:20]))
        t = options["threshold"] if options["threshold"] is not None else threshold()
        if not 0 <= t <= 1:
            raise CommandError("The threshold must be between 0 and 1.")
        result = evaluate(loaded.pairs, t)
        if options["json"]:
            if loaded.problems:
                result["skipped"] = loaded.problems
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(format_text(result, loaded.problems))
