"""Subject normalisation and scoring in pure Python: no Django, no database, no network.

``normalize.record(...)`` turns a person or organisation (names in any script, birth date, nationality,
identifiers) into a ``Record``; ``score.compare(a, b)`` scores two records in [0, 1] and explains the score.
The same code serves the index, deconfliction and ``entraide matching evaluate``.
"""
