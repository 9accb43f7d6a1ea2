"""kneelog's benchmarks: ``python -m bench`` measures, in one run, and writes ``bench/RESULTS.md``.

Speed is measured here, never in timed tests. :mod:`bench.athlete` makes the synthetic athlete (of any length) and
the Strava export of their training that the measurements (and the import reliability tests) use.
"""
