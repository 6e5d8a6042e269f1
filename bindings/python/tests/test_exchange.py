"""The exchange entry points from Python: export → receive → report gives what the same
records give directly, and every attacker on the way raises the class `open` raises."""

import json

import pytest

import ona


def _export(tmp_path, cases, identities, name="kz.ona"):
    centre, hub = identities
    p = ona.Pseudonymiser(bytes(32), "kz/test-2026")
    dst = tmp_path / name
    manifest = ona.export_cases(cases, p, hub.encryption_public, centre, dst)
    return p, dst, manifest


def test_export_receive_report_round_trip(tmp_path, cases, identities):
    centre, hub = identities
    p, dst, manifest = _export(tmp_path, cases, identities)
    assert manifest["record_count"] == len(cases)
    assert manifest["pseudonym_domain"] == "kz/test-2026"
    assert manifest["sender"] == centre.signing_public

    got_manifest, records = ona.receive(dst, hub, sender=centre.signing_public)
    assert got_manifest == manifest
    assert records == [p.pseudonymise(c) for c in cases]

    report = ona.report_from_exports([dst], hub, sender=centre.signing_public, by="country,quarter")
    direct = ona.merge([ona.report(records, by="country,quarter")])
    assert json.loads(report.to_json()) == json.loads(direct.to_json())


def test_wrong_recipient_tampering_and_untrusted_sender_raise_open_classes(
    tmp_path, cases, identities
):
    centre, hub = identities
    _, dst, _ = _export(tmp_path, cases, identities)

    stranger = ona.Identity.generate()
    with pytest.raises(ona.DecryptionError) as e:
        ona.receive(dst, stranger, sender=centre.signing_public)
    assert e.value.kind == "no_matching_recipient"

    data = bytearray(dst.read_bytes())
    data[len(data) // 2] ^= 1
    changed = tmp_path / "changed.ona"
    changed.write_bytes(bytes(data))
    with pytest.raises(ona.DecryptionError) as e:
        ona.receive(changed, hub, sender=centre.signing_public)
    assert e.value.kind == "chunk_authentication"
    with pytest.raises(ona.DecryptionError):
        ona.report_from_exports([changed], hub, sender=centre.signing_public)

    forger = ona.Identity.generate()
    with pytest.raises(ona.SignatureError) as e:
        ona.receive(dst, hub, sender=forger.signing_public)
    assert e.value.kind == "unexpected_sender"


def test_an_invalid_record_writes_nothing(tmp_path, cases, identities):
    bad = [dict(c) for c in cases[:5]]
    bad[3]["intake_date"] = "not a date"
    with pytest.raises(ona.ValidationError):
        _export(tmp_path, bad, identities)
    assert list(tmp_path.iterdir()) == []


def test_receive_records_gives_nothing_of_an_export_that_does_not_verify(tmp_path, cases, identities):
    """The attacker changes one byte near the end of an export (in the last chunk or the
    signature): `receive_records` raises before handing out a single record, where a stream of
    the chunks that authenticated would already have given most of them."""
    centre, hub = identities
    p, dst, manifest = _export(tmp_path, cases, identities)
    got = ona.receive_records(dst, hub, sender=centre.signing_public)
    assert got.manifest == manifest
    assert iter(got) is got
    assert list(got) == [p.pseudonymise(c) for c in cases]
    assert list(got) == []  # exhausted
    data = dst.read_bytes()
    for at in (len(data) - 1, len(data) - 40):
        bad = tmp_path / f"bad{at}.ona"
        changed = bytearray(data)
        changed[at] ^= 1
        bad.write_bytes(bytes(changed))
        with pytest.raises((ona.DecryptionError, ona.SignatureError)):
            ona.receive_records(bad, hub, sender=centre.signing_public)
    with pytest.raises(ona.SignatureError):
        ona.receive_records(dst, hub, sender=ona.Identity.generate().signing_public)
    with pytest.raises(ona.DecryptionError):
        ona.receive_records(dst, ona.Identity.generate(), any_sender=True)
