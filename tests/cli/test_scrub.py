"""`ona pseudonymise` and case notes, from the outside: notes are dropped by default, and with
`notes = "scrub"` the shared scrubbing corpus (`tests/vectors/scrub/`) goes through the whole
command — read, validate, pseudonymise, scrub, write — and every identifier a note must lose is
gone while every word it must keep is still there.

The attacker: a reader of the released file who knows a woman's name, phone, e-mail, ID or address
and searches the notes for them, case-insensitively and, for numbers, with separators removed."""
import json
import re
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT, read_jsonl

CORPUS = ROOT / "tests" / "vectors" / "scrub"
LANGUAGES = ["en", "kk", "ms", "ru", "tr", "uk", "uz"]

# A valid case (the core's unit-test sample); the corpus record's names, address and children
# replace its own.
TEMPLATE = json.loads("""{"schema_version":"1.0","id":"kz-almaty-01-0001",
 "centre":{"id":"kz-almaty-01","organisation":{"id":"ana-uyi","name":"Ana Uyi"},"country":"KZ","admin1":"KZ-75","settlement":"Алматы","operator_type":"ngo"},
 "intake_date":"2025-03-10","status":"closed","referral_source":"maternity_ward","intake_point":"maternity_ward",
 "relinquishment_intent":"considering",
 "consent":{"services":true,"referral_sharing":true,"aggregate_reporting":true,"date":"2025-03-10"},
 "closure_reason":"plan_completed",
 "mother":{"name":{"given":"x"},"birth_date":"1995-06-15","citizenship":"KZ","residence_status":"citizen",
   "education":"isced_3","employment":"unemployed","marital_status":"single","disability":false,"other_children":5},
 "children":[],
 "risk_assessments":[{"date":"2025-03-11","risk_factors":["homelessness","poverty"],"violence_types":[],"risk_level":"medium"}],
 "services":[{"type":"shelter","delivery":"in_house","start_date":"2025-03-12","end_date":"2025-07-01","status":"implemented"}],
 "stay":{"admission_date":"2025-03-12","discharge_date":"2025-07-01","stay_type":"residential"},
 "outcome":{"child_placement":"with_mother","housing":"rented","income":"benefits"},
 "follow_ups":[{"point":"m6","due_date":"2026-01-01","date":"2026-01-05","contact_result":"reached","child_placement":"with_mother"}]}""")
CHILD = {"birth_date": "2025-03-01", "sex": "female", "birth_weight_g": 3130, "gestation_weeks": 39,
         "birth_registered": True, "location_at_intake": "maternity_ward"}


def corpus():
    records = json.loads((CORPUS / "records.json").read_text(encoding="utf-8"))
    notes = [n for lang in LANGUAGES for n in read_jsonl(CORPUS / f"{lang}.jsonl")]
    return records, notes


def case_for(i, record, note):
    c = json.loads(json.dumps(TEMPLATE))
    c["id"] = f"kz-almaty-01-{i:04d}"
    c["mother"]["name"] = record["mother"]
    if "address" in record:
        c["mother"]["address"] = record["address"]
    c["children"] = [dict(CHILD, name=n) for n in record.get("children", [])]
    c["notes"] = note["note"]
    return c


def nfkc(s):
    return unicodedata.normalize("NFKC", s).lower()


def found(out, item):
    if nfkc(item) in nfkc(out):
        return True
    digits = re.sub(r"\D", "", nfkc(item))
    return len(digits) >= 6 and digits in re.sub(r"\W", "", nfkc(out))


@pytest.fixture(scope="module")
def corpus_cases(tmp_path_factory):
    records, notes = corpus()
    path = tmp_path_factory.mktemp("scrub") / "cases.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i, n in enumerate(notes, 1):
            f.write(json.dumps(case_for(i, records[n["record"]], n), ensure_ascii=False) + "\n")
    return path, notes


@pytest.fixture(scope="module")
def key(ona, tmp_path_factory):
    path = tmp_path_factory.mktemp("key") / "master.key"
    ona("pseudonym-key", "--out", path)
    return path


def test_notes_are_dropped_by_default(ona, key, corpus_cases, tmp_path):
    cases, notes = corpus_cases
    out = tmp_path / "p.jsonl"
    ona("pseudonymise", "--key", key, "--domain", "kz/notes", "--in", cases, "--out", out)
    released = read_jsonl(out)
    assert len(released) == len(notes) >= 200
    assert all("notes" not in r for r in released)
    text = out.read_text(encoding="utf-8")
    assert not [n["note"] for n in notes if n["note"] in text]


def test_scrubbed_notes_lose_every_identifier_and_keep_every_word(ona, key, corpus_cases, tmp_path):
    cases, notes = corpus_cases
    policy, out = tmp_path / "policy.toml", tmp_path / "p.jsonl"
    policy.write_text('id = "scrub-test"\nnotes = "scrub"\n', encoding="utf-8")
    ona("pseudonymise", "--key", key, "--domain", "kz/notes", "--policy", policy,
        "--in", cases, "--out", out)
    released = read_jsonl(out)
    assert len(released) == len(notes)
    leaked, removed, identifiers, words = [], [], 0, 0
    for r, n in zip(released, notes):
        text = r["notes"]
        for item in n["lose"]:
            assert found(n["note"], item), item  # the search finds it before scrubbing
            identifiers += 1
            if found(text, item):
                leaked.append((item, text))
        for w in n["keep"]:
            words += 1
            if nfkc(w) not in nfkc(text):
                removed.append((w, text))
    assert not leaked, leaked[:10]
    assert not removed, removed[:10]
    # The figures the docs state for the corpus.
    assert (identifiers, words) == (432, 1013)
    # Placeholders, not blanks: the reader still learns that a name or a phone was there.
    assert all(re.search(r"<(NAME_\d+|PHONE|EMAIL|HANDLE|ID|DATE|PLACE)>", r["notes"]) for r in released)
