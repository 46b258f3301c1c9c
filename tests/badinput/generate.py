"""Write the hostile-input corpus to a folder: one sub-folder per case plus ``MANIFEST.tsv``.

    python -m tests.badinput.generate OUT      (from the repository root)

The manifest lists, per case: id, expected outcome (error / repair / accepted), the text the error or
repair line must contain, the command, the profile, extra arguments and environment. The test suite
(``test_badinput.py``) generates the same cases into temporary folders and checks every outcome.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .catalogue import all_cases


def generate(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    rows = ["id\texpect\tneedle\tcommand\tprofile\targs\tenv\tinputs"]
    cases = all_cases()
    for case in cases:
        folder = out / case.id
        folder.mkdir(exist_ok=True)
        paths = case.make(folder)
        env = " ".join(f"{k}={v}" for k, v in case.env.items())
        inputs = " ".join(str(p.relative_to(out)) if p.is_relative_to(out) else str(p) for p in paths)
        store = "damaged store" if case.damage else ""
        rows.append("\t".join([case.id, case.expect, case.needle, f"{case.command} {store}".strip(), case.profile,
                               " ".join(case.args), env, inputs]))
    (out / "MANIFEST.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(cases)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.badinput.generate OUT")
    print(f"{generate(Path(sys.argv[1]))} cases written to {sys.argv[1]}")
