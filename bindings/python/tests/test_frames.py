"""JSON Lines files and sealed exports straight into pandas DataFrames, with labels."""

import pandas as pd

import ona
from conftest import jsonl


def test_read_jsonl_with_and_without_labels(cases, tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(jsonl(cases), encoding="utf-8")
    codes = ona.read_jsonl(path)
    assert len(codes) == len(cases)
    assert "mother.marital_status" in codes.columns and "centre.country" in codes.columns
    assert list(codes["status"]) == [c["status"] for c in cases]
    ru = ona.read_jsonl(path, lang="ru")
    labels = ona.codes("case_status", "ru")
    assert list(ru["status"]) == [labels[c["status"]] for c in cases]
    assert ru["status"].iloc[0] != codes["status"].iloc[0]


def test_read_sealed_export_of_pseudonymised_cases(cases, identities, tmp_path):
    centre, hub = identities
    p = ona.Pseudonymiser(bytes(32), "kz/research")
    pseudo = p.pseudonymise_cases(cases)
    sealed = ona.seal(jsonl(pseudo).encode(), hub.encryption_public, centre,
                      pseudonym_domain=p.domain, pseudonym_key_id=p.key_id)
    (tmp_path / "x.ona").write_bytes(sealed)
    frame = ona.read_sealed(tmp_path / "x.ona", hub, centre.signing_public, lang="uk")
    assert isinstance(frame, pd.DataFrame) and len(frame) == len(pseudo)
    assert list(frame["case_pseudonym"]) == [r["case_pseudonym"] for r in pseudo]
    uk = ona.codes("case_status", "uk")
    assert set(frame["status"]) <= set(uk.values())
    assert ona.read_sealed(tmp_path / "x.ona", hub, any_sender=True).shape == frame.shape


def test_empty_file_is_an_empty_frame(tmp_path):
    (tmp_path / "e.jsonl").write_text("\n", encoding="utf-8")
    assert ona.read_jsonl(tmp_path / "e.jsonl").empty
