"""Issue 15 (hangs): the cost of `whoholds read` must grow linearly with the text, and no number may stall it.

Measures, in one run:
- extract_figures on the same kind of article text at 1x, 2x and 4x size (varied paragraphs, no caching
  effects): the ratio of time per MB between the largest and the smallest should stay near 1 (linear);
- hostile shapes of the same size (a long run of capitalised words, abbreviations without sentence ends, one
  long digit run), which were quadratic or worse before;
- a long digit run in a claim: ours vs quantulum3 (the parser we replaced), when quantulum3 is installed.

    python benchmarks/read_scaling.py [--base-kb 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time


def _article(kb: int) -> str:
    para = ("Russian forces captured {n} square kilometres in November, according to an AFP analysis of data from "
            "the Institute for the Study of War. He said {m} to {k} people a day were leaving Pokrovsk, the "
            "governor said on Thursday. Kyiv's figures could not be verified.")
    out, size, i = [], 0, 0
    while size < kb * 1000:
        p = para.format(n=100 + i % 900, m=200 + i % 50, k=300 + i % 50)
        out.append(p)
        size += len(p) + 2
        i += 1
    return "\n\n".join(out)


def _time(fn, *args) -> float:  # noqa: ANN001
    t0 = time.process_time()
    fn(*args)
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base-kb", type=int, default=100)
    args = ap.parse_args(argv)
    from functools import partial

    from whoholds.claims.article import extract_figures as _extract
    from whoholds.claims.quantities import extract_quantities
    from whoholds.profiles import load_profile

    ukr = load_profile("ukraine")
    day = dt.date(2024, 12, 5)

    def extract_figures(text: str, profile, when: dt.date) -> object:  # noqa: ANN001
        return partial(_extract, date=when)(text, profile)

    extract_figures(_article(5), ukr, day)  # warm-up (imports, profile tables)
    per_mb = {}
    for mult in (1, 2, 4):
        text = _article(args.base_kb * mult)
        secs = _time(extract_figures, text, ukr, day)
        per_mb[mult] = secs / (len(text) / 1e6)
        print(f"article {len(text) / 1e3:8.0f} kB: {secs:6.2f} s CPU, {per_mb[mult]:6.2f} s/MB")
    print(f"linearity: s/MB at 4x / s/MB at 1x = {per_mb[4] / per_mb[1]:.2f} (1.0 = linear)")
    n = args.base_kb * 4 * 1000
    for name, text in (("capitalised run", "Kyiv Oblast " * (n // 12)), ("abbreviations", "Col. " * (n // 5)),
                       ("digit run", "9" * n + " people")):
        secs = _time(extract_figures, text, ukr, day)
        print(f"hostile {name:16s} {len(text) / 1e3:6.0f} kB: {secs:6.2f} s CPU")
    claim = "about " + "9" * 250 + " people"
    ours = _time(extract_quantities, claim)
    print(f"250-digit number in a claim: ours {ours * 1e3:.2f} ms", end="")
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser

            parser.parse("warm up 5 km")
            theirs = _time(parser.parse, claim)
        print(f", quantulum3 {theirs * 1e3:.0f} ms (ratio {theirs / max(ours, 1e-9):.0f}x)")
    except ImportError:
        print(" (quantulum3 not installed: no baseline)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
