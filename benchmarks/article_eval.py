"""Issue 9: how well `whoholds read` reads articles, against the hand annotation in tests/gold/eval_paragraphs.yaml.

Each paragraph is read as an article (its text, the page date when it has one, the outlet), without --country:
the conflict is inferred from the text and scored; the figures are then read with the annotated profile, so
that a missed conflict does not also count against the figures. A figure matches a gold figure of the same
paragraph with the same value (relative tolerance 1e-3). Printed: value recall and precision, accuracy of each
field over the matched figures, conflict accuracy, per split (dev: used while improving the reader; heldout:
written with it and measured along, so partly seen; heldout2: written after the reader was finished and measured
once — the honest figure for unseen text; heldout3: written by the as-of/period work before it changed the reader,
first run 2026-12-03 before any change: 23 gold figures, value recall 1.000, precision 0.958, speaker 0.826,
as-of 0.826, conflict 13/13; after the period/speaker fixes it reads 1.000 on every field, but heldout3 has then
been seen, so only its first run is an unseen-text figure. heldout2 went from as-of 0.714 to 0.952 with the same
general fixes). heldout4: written by a separate helper who never saw the reader, appended unchanged; FIRST RUN
2026-12-03 15:02 UTC at commit 805fe6e, before any change made with it: 64 gold figures in 25 paragraphs, 61
extracted, 61 matched; value recall 0.953, precision 1.000; conflict inferred 23/25 = 0.920; unit 1.000, speaker
0.852, data_source 0.902, as_of 0.836, qualifier 1.000, range 1.000, per 0.984, negated 1.000 — the honest
unseen-text figure. Its failures then pointed at general causes (a first paragraph opening "By the end of" taken
for a byline; date ranges across months; titles like "Gov."; units with ordinals; lower-case bodies after
"according to"; present-tense background; "the same ... figures"), fixed with sentences of our own in
tests/test_claims_read_wire.py; after that heldout4 reads 1.000 on every field (seen, so not an unseen figure).
State after that work: 180 gold figures in 78 paragraphs, recall and precision 1.000, conflict 78/78, every field
1.000 except data_source 0.994 (u23) — all on seen text. heldout5: written by the same separate helper at the
same time, kept outside the repository until the reader work was finished, appended unchanged and FIRST RUN
2026-12-03 16:12 UTC at commit 58180b1: 64 gold figures in 25 paragraphs, 64 extracted, 64 matched; value recall
1.000, precision 1.000; conflict inferred 25/25 = 1.000; unit 1.000, speaker 0.812, data_source 0.828, as_of
0.844, qualifier 0.984, range 1.000, per 1.000, negated 1.000 — the latest honest unseen-text figure (speaker and
as-of still under the issue's 0.9). heldout6: written by a separate helper (evalset6) who never saw the reader,
appended unchanged; FIRST RUN 2026-12-03 17:53 UTC at commit bedfda3, before any change made with it: 74 gold
figures in 25 paragraphs, 76 extracted, 73 matched; value recall 0.986, precision 0.961; conflict inferred 25/25 =
1.000; unit 1.000, speaker 0.795, data_source 0.726, as_of 0.849, qualifier 1.000, range 1.000, per 1.000,
negated 1.000 — the latest honest unseen-text figure (speaker, data source and as-of still under 0.9). Its
failures then pointed at general causes (a data body's own bulletin; a paragraph's statement date lent to another
speaker; a sentence opening "As of 10 December," taken for a dateline; "the fall of Assad" read as a season; "down
from a peak of N in <month>"; "data from X analysed by Y"; sources "in" a body; pre-war populations), fixed with
sentences of our own in tests/test_claims_read_wire3.py (172 cases in nine batches, each batch's first-run failures
noted there); after that heldout6 reads speaker 0.946 (the y20 paragraph's "according to maps compiled by
DeepState" is the outlet's in heldout6 but the body's in the older u19 — the two annotations disagree and the
reader keeps the older rule), every other field 1.000 — seen, so not an unseen figure. State after that work: 318
gold figures in 128 paragraphs, recall and precision 1.000, conflict 128/128, speaker 0.991, data_source 0.994,
every other field 1.000 (seen text). heldout7: written by the same separate helper at the same time as heldout6,
never opened by anyone working on the reader, appended unchanged after all of this stop's reader work and FIRST RUN
2026-12-03 18:36 UTC at commit 57e7f59 (reader as merged): 84 gold figures in 30 paragraphs, 85 extracted, 84
matched; value recall 1.000, precision 0.988; conflict inferred 30/30 = 1.000; unit 0.988, speaker 0.786,
data_source 0.750, as_of 0.917, qualifier 0.988, range 1.000, per 0.988, negated 0.988 — the latest honest unseen-
text figure: values, conflict and as-of meet the issue's targets; speaker and data source do not. The attribution
work that followed (classes in docs/attribution_taxonomy.md, cases in tests/test_claims_read_attr5.py) was done
before heldout8 was opened. heldout8: written by a separate helper (evalset8) who never saw the reader, appended
unchanged; FIRST RUN 2026-12-03 20:35 UTC at commit 06e6894, before any change made with it: 76 gold figures in
25 paragraphs, 77 extracted, 76 matched; value recall 1.000, precision 0.987; conflict inferred 24/25 = 0.960;
unit 0.987, speaker 0.868, data_source 0.882, as_of 0.934, qualifier 1.000, range 1.000, per 0.987, negated
1.000 — the latest honest unseen-text figure (speaker and data source up from ~0.79 / ~0.75 on heldout5-7's first
runs, still under the issue's 0.9). Full first-run output: /work/wt/_evalsets/heldout8_first_run.txt. Its failures
then pointed at general causes (verbs of rejection, "analysed ... and found", "according to their latest count",
long appositions, "less than the Kremlin claims", "last <weekday>", "on X.", Q&A interviews, citing unnamed
people, an Arabic article spelled another way), fixed with sentences of our own; three later batches of probe cases
written before running them (tests/test_claims_read_attr5.py) failed 6/26, 5/14 and 3/16 first, against 41/66
and 16/18 for the first two — the mechanisms now carry to text they were not written on more often. State after
that work (seen text): 478 gold figures in 183 paragraphs, recall and precision 1.000, conflict 183/183, speaker
1.000, data_source 0.998 (u23), as_of 0.981, unit 0.998, per 0.998, every other field 1.000.
heldout9: written by the same separate helper (evalset8) at the same time as heldout8, never opened by anyone
working on the reader, appended unchanged after all reader work was merged and FIRST RUN 2026-12-03 21:34 UTC at
commit 8b87ea0: 88 gold figures in 30 paragraphs, 89 extracted, 87 matched; value recall 0.989, precision 0.978;
conflict inferred 29/30 = 0.967; unit 1.000, speaker 0.724, data_source 0.770, as_of 0.885, qualifier 1.000, range
1.000, per 0.989, negated 1.000 — the latest honest unseen-text figure. Speaker errors sit in 13 of the 30
paragraphs (a paragraph misread costs all its figures: q14's five); the classes: a bulletin body named only as the
subject of a sentence the agency reports ("the interagency coordination headquarters reported"), a document title
as speaker ("Daily Report", "Humanitarian Needs Overview"), an outlet's tally of a body's figures ("AFP's count of
air force statements"), a spokesperson vs the body, the outlet's own voice after a quote. Full first-run output:
/work/wt/_evalsets/heldout9_first_run.txt. After the work on its classes (docs/attribution_taxonomy.md G1-G9, fixed
with 55 tests of our own in tests/test_claims_read_attr6.py, most written and failing before each change) — SEEN
text now, so not a generalisation figure: heldout9 speaker 0.943, data_source 0.989, as_of 0.954, per 1.000,
precision 0.989;
all splits (566 figures, 213 paragraphs): recall 0.998, precision 0.998, conflict 212/213, speaker 0.991,
data_source 0.996, as_of 0.979, per 0.998, unit 0.998, every other field 1.000.

    python benchmarks/article_eval.py [--split dev|heldout|...|heldout8|all|each] [--show]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GOLD = Path(__file__).resolve().parents[1] / "tests" / "gold" / "eval_paragraphs.yaml"
FIELDS = ("unit", "speaker", "data_source", "as_of", "qualifier", "range", "per", "negated")


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    matched: int = 0
    conflicts: int = 0
    conflicts_right: int = 0
    fields: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0] for f in FIELDS})
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    def accuracy(self, name: str) -> float:
        right, total = self.fields[name]
        return right / total if total else 1.0


def _norm(name: object) -> str:
    text = str(name or "").lower().replace("’", "'").strip()
    for prefix in ("the ",):
        text = text.removeprefix(prefix)
    return text


def _names_match(found: str | None, gold: Any) -> bool:
    if gold is None:
        return found is None
    options = gold if isinstance(gold, list) else [gold]
    return found is not None and _norm(found) in {_norm(o) for o in options}


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-3 * max(abs(a), abs(b), 1e-9)


def load_items(split: str = "all") -> list[dict[str, Any]]:
    import yaml

    items = yaml.safe_load(GOLD.read_text("utf-8"))["items"]
    return [i for i in items if split == "all" or i["split"] == split]


def evaluate(items: list[dict[str, Any]], show: bool = False) -> Score:
    from whoholds.claims.article import Article, article_from_text, extract_figures
    from whoholds.claims.conflict import infer_conflict
    from whoholds.profiles import load_profile

    score = Score()
    for item in items:
        art = article_from_text(item["text"], item["id"])
        art = Article(text=art.text, source=item["id"], title=art.title, date=item.get("published") or art.date,
                      outlet=item["outlet"])
        if art.title:  # a one-line paragraph would be taken for a headline: keep it as text
            art.text = f"{art.title}\n\n{art.text}".strip()
            art.title = None
        guess = infer_conflict(art.text)
        score.conflicts += 1
        score.conflicts_right += guess.profile == item["country"]
        figures = extract_figures(art, load_profile(item["country"]))
        score.gold += len(item["figures"])
        score.found += len(figures)
        left = list(figures)
        for g in item["figures"]:
            hit = next((f for f in left if _same_value(f.value, float(g["value"]))), None)
            if hit is None:
                score.misses.append(f"{item['id']}: missed {g['value']}")
                continue
            left.remove(hit)
            score.matched += 1
            checks = {
                "unit": hit.unit == g["unit"],
                "speaker": _names_match(hit.speaker, g["speaker"]),
                "data_source": _names_match(hit.data_source, g.get("data_source")),
                "as_of": hit.as_of == (g["as_of"] if isinstance(g["as_of"], dt.date) or g["as_of"] is None
                                       else dt.date.fromisoformat(str(g["as_of"]))),
                "qualifier": (hit.qualifier or None) == g.get("qualifier"),
                "range": (hit.low, hit.high) == (g.get("low"), g.get("high")),
                "per": hit.per == g.get("per"),
                "negated": bool(hit.negated) == bool(g.get("negated", False)),
            }
            for name, ok in checks.items():
                score.fields[name][0] += int(ok)
                score.fields[name][1] += 1
                if not ok and show:
                    got = {"unit": hit.unit, "speaker": hit.speaker, "data_source": hit.data_source,
                           "as_of": hit.as_of, "qualifier": hit.qualifier, "range": (hit.low, hit.high),
                           "per": hit.per, "negated": hit.negated}[name]
                    want = g.get(name) if name != "range" else (g.get("low"), g.get("high"))
                    score.misses.append(f"{item['id']} {g['value']}: {name} {got!r} (gold {want!r})")
        for f in left:
            score.misses.append(f"{item['id']}: extra {f.surface!r} = {f.value}")
        if guess.profile != item["country"]:
            score.misses.append(f"{item['id']}: conflict {guess.profile!r} (gold {item['country']}): {guess.reason}")
    return score


def report(name: str, s: Score) -> str:
    lines = [f"{name}: {s.gold} gold figures in {s.conflicts} paragraphs, {s.found} extracted, {s.matched} matched",
             f"  value recall {s.recall:.3f}  precision {s.precision:.3f}",
             f"  conflict inferred {s.conflicts_right}/{s.conflicts} = {s.conflicts_right / max(s.conflicts, 1):.3f}"]
    lines.append("  " + "  ".join(f"{f} {s.accuracy(f):.3f}" for f in FIELDS))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    each = ("dev", "heldout", *(f"heldout{i}" for i in range(2, 10)), "all")
    splits = (*each, "each")
    ap.add_argument("--split", default="each", choices=splits)
    ap.add_argument("--show", action="store_true", help="print every miss and wrong field")
    args = ap.parse_args(argv)
    splits = each if args.split == "each" else (args.split,)
    for split in splits:
        s = evaluate(load_items(split), show=args.show)
        print(report(split, s))
        if args.show:
            print("\n".join(f"    {m}" for m in s.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
