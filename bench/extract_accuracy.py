"""Accuracy of the meeting-report extractor over a corpus of reports.

    .venv/bin/python bench/extract_accuracy.py [CORPUS_DIR]

Each ``NAME.txt`` in the folder (default: tests/extract_corpus) is read with
``articles.extract.extract`` and compared with ``NAME.json``. Prints names
precision / recall / F1 (attendee names compared after folding case,
diacritics and spacing), the exact-match rate of positions over the names
found correctly, and the share of reports whose scalar fields (date,
session, term, term years, opinions) all match.
"""

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.extract import extract, name_key  # noqa: E402

SCALARS = (
    "held_on",
    "session_number",
    "term_number",
    "term_start_year",
    "term_end_year",
    "opinions_count",
)


def score(folder: Path) -> dict:
    found = expected = correct = 0
    positions_exact = positions_total = 0
    scalars_ok = reports = 0
    seconds = 0.0
    misses = []
    for text_file in sorted(folder.glob("*.txt")):
        truth = json.loads(text_file.with_suffix(".json").read_text(encoding="utf-8"))
        text = text_file.read_text(encoding="utf-8")
        started = time.perf_counter()
        got = extract(text).as_dict()
        seconds += time.perf_counter() - started
        reports += 1
        scalars_ok += all(got[k] == truth[k] for k in SCALARS)
        got_people = {name_key(a["name"]): a for a in got["attendees"]}
        true_people = {name_key(a["name"]): a for a in truth["attendees"]}
        found += len(got_people)
        expected += len(true_people)
        for key, person in true_people.items():
            if key not in got_people:
                misses.append(f"{text_file.name}: thiếu {person['name']}")
                continue
            correct += 1
            positions_total += 1
            if got_people[key]["positions"] == person["positions"]:
                positions_exact += 1
            else:
                misses.append(f"{text_file.name}: chức vụ của {person['name']}")
        for key, person in got_people.items():
            if key not in true_people:
                misses.append(f"{text_file.name}: thừa {person['name']}")
    precision = correct / found if found else 1.0
    recall = correct / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "reports": reports,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "positions_exact": positions_exact / positions_total
        if positions_total
        else 1.0,
        "scalars": scalars_ok / reports if reports else 1.0,
        "ms_per_report": 1000 * seconds / reports if reports else 0.0,
        "misses": misses,
    }


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/extract_corpus"
    result = score(folder)
    print(f"reports            {result['reports']}")
    print(f"names precision    {result['precision']:.3f}")
    print(f"names recall       {result['recall']:.3f}")
    print(f"names F1           {result['f1']:.3f}")
    print(f"positions exact    {result['positions_exact']:.3f}")
    print(f"scalar fields      {result['scalars']:.3f}")
    print(f"ms per report      {result['ms_per_report']:.1f}")
    for miss in result["misses"]:
        print(f"  - {miss}")


if __name__ == "__main__":
    main()
