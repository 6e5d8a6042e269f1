"""Sealed exports from Python: the shared test kit, CLI interop both ways, key files,
streaming, and tampering that always ends in a typed exception and no output."""

import hashlib
import json

import pytest

import ona
from conftest import VECTORS

KIT = sorted(p for p in (VECTORS / "seal").glob("*.json") if not p.name.startswith("rfc9180"))


def identity_from_text(tmp_path, text):
    path = tmp_path / "id.key"
    path.write_text(text, encoding="utf-8")
    return ona.Identity.from_file(path)


@pytest.mark.parametrize("path", KIT, ids=[p.stem for p in KIT])
def test_seal_test_kit(path, tmp_path):
    v = json.loads(path.read_text(encoding="utf-8"))
    key = identity_from_text(tmp_path, v["identity"])
    sealed = bytes.fromhex(v["sealed"])
    if v["expect"] == "success":
        opened = ona.open(sealed, key, v["expected_sender"], any_sender=v["expected_sender"] is None)
        assert hashlib.sha256(opened.data).hexdigest() == v["plaintext_sha256"]
    else:
        with pytest.raises(ona.OnaError) as e:
            ona.open(sealed, key, v["expected_sender"], any_sender=v["expected_sender"] is None)
        assert e.value.kind == v["expect"], (v["name"], str(e.value))
        assert isinstance(e.value, (ona.DecryptionError, ona.SignatureError))


def test_kit_is_complete():
    assert len(KIT) >= 60


def test_python_seals_cli_opens(identities, cli, tmp_path):
    centre, hub = identities
    centre.save(tmp_path / "centre.key")
    hub.save(tmp_path / "hub.key")
    data = "".join(f'{{"n":{i}}}\n' for i in range(5000)).encode()
    (tmp_path / "a.ona").write_bytes(ona.seal(data, [hub.encryption_public], centre, content="report"))
    cli("open", "--key", tmp_path / "hub.key", "--from", centre.signing_public,
        "--in", tmp_path / "a.ona", "--out", tmp_path / "a.out")
    assert (tmp_path / "a.out").read_bytes() == data
    info = cli("inspect", tmp_path / "a.ona").stdout
    assert "1" in info


def test_cli_seals_python_opens(cli, tmp_path):
    cli("keygen", "--out", tmp_path / "centre.key")
    cli("keygen", "--out", tmp_path / "hub.key")
    hub_enc, hub_sig = cli("pubkey", tmp_path / "hub.key").stdout.split()
    centre_sig = cli("pubkey", tmp_path / "centre.key").stdout.split()[1]
    hub = ona.Identity.from_file(tmp_path / "hub.key")
    assert (hub.encryption_public, hub.signing_public) == (hub_enc, hub_sig)
    src = tmp_path / "cases.jsonl"
    src.write_text('{"a":1}\n\n{"a":2}\n', encoding="utf-8")
    cli("seal", "--to", hub_enc, "--sign", tmp_path / "centre.key", "--in", src, "--out", tmp_path / "c.ona",
        "--content", "report")
    opened = ona.open((tmp_path / "c.ona").read_bytes(), hub, centre_sig)
    assert opened.data == src.read_bytes() and opened.sender_verified
    assert opened.manifest["record_count"] == 1 and opened.manifest["sender"] == centre_sig
    m = ona.open_file(tmp_path / "c.ona", tmp_path / "c.out", hub, centre_sig)
    assert m == opened.manifest and (tmp_path / "c.out").read_bytes() == src.read_bytes()


def test_identity_files_are_owner_only_and_not_overwritten(identities, tmp_path):
    centre, _ = identities
    path = tmp_path / "centre.key"
    centre.save(path)
    assert path.stat().st_mode & 0o077 == 0
    with pytest.raises(FileExistsError):
        centre.save(path)
    assert ona.Identity.from_file(path).signing_public == centre.signing_public
    assert "secret" not in repr(centre).lower() and centre.signing_public in repr(centre)
    path.write_text("not a key", encoding="utf-8")
    with pytest.raises(ona.KeyFormatError):
        ona.Identity.from_file(path)
    with pytest.raises(FileNotFoundError):
        ona.Identity.from_file(tmp_path / "missing.key")


def test_files_and_streams(identities, tmp_path):
    centre, hub = identities
    big = bytes(range(256)) * 4096 * 3 + b"tail"  # several 64 KiB chunks
    src = tmp_path / "big.bin"
    src.write_bytes(big)
    ona.seal_file(src, tmp_path / "big.ona", hub.encryption_public, centre, content="report")
    with ona.Opener(tmp_path / "big.ona", hub, centre.signing_public) as o:
        assert o.manifest["content_type"] == "report" and o.verified  # verified whole up front
        assert b"".join(o) == big
    with ona.Opener(tmp_path / "big.ona", hub, centre.signing_public, unverified_streaming=True) as o:
        assert o.manifest["content_type"] == "report" and not o.verified
        pieces = list(o)
        assert o.verified
    assert b"".join(pieces) == big
    with ona.Sealer(tmp_path / "s.ona", [hub.encryption_public], centre, record_count=2,
                    content="report") as s:
        s.write(b'{"a":1}\n')
        s.write(b'{"a":2}\n')
    assert ona.open((tmp_path / "s.ona").read_bytes(), hub, any_sender=True).data == b'{"a":1}\n{"a":2}\n'
    with ona.Opener(tmp_path / "s.ona", hub, any_sender=True) as o:
        assert o.read(3) == b'{"a' and o.read() == b'":1}\n{"a":2}\n' and o.verified


def test_a_sealer_interrupted_writes_nothing(identities, tmp_path):
    centre, hub = identities
    dst = tmp_path / "partial.ona"
    with pytest.raises(RuntimeError):
        with ona.Sealer(dst, hub.encryption_public, centre, record_count=1) as s:
            s.write(b"half")
            raise RuntimeError("interrupted")
    assert not dst.exists() and list(tmp_path.iterdir()) == []
    s = ona.Sealer(dst, hub.encryption_public, centre, record_count=0)
    s.finish()
    with pytest.raises(ValueError):
        s.write(b"late")


def test_every_tampering_is_a_typed_error_and_open_file_writes_nothing(identities, tmp_path):
    centre, hub = identities
    sealed = ona.seal(b'{"case":1}\n', hub.encryption_public, centre, content="report")
    failures = 0
    for i in range(len(sealed)):
        for flip in (0x01, 0x80):
            bad = bytearray(sealed)
            bad[i] ^= flip
            with pytest.raises((ona.DecryptionError, ona.SignatureError)):
                ona.open(bytes(bad), hub, centre.signing_public)
            failures += 1
    for cut in range(len(sealed)):
        with pytest.raises(ona.DecryptionError):
            ona.open(sealed[:cut], hub, any_sender=True)
    (tmp_path / "t.ona").write_bytes(sealed[:-5])
    with pytest.raises(ona.DecryptionError):
        ona.open_file(tmp_path / "t.ona", tmp_path / "t.out", hub, any_sender=True)
    assert not (tmp_path / "t.out").exists()
    assert failures == 2 * len(sealed)


def test_bad_arguments(identities):
    centre, hub = identities
    with pytest.raises(ona.KeyFormatError):
        ona.seal(b"x", "onaenc1notakey", centre)
    with pytest.raises(ona.KeyFormatError):
        ona.seal(b"x", hub.signing_public, centre)  # a signing key is not an encryption key
    with pytest.raises(ona.SealError):
        ona.seal(b"x", [], centre, content="report")
    with pytest.raises(ValueError):
        ona.seal(b"x", hub.encryption_public, centre, content="photos")
    with pytest.raises(ona.FormatError):
        ona.inspect(b"\x00" * 10)
    assert ona.inspect(ona.seal(b"x", hub.encryption_public, centre, content="report"))["recipients"] == 1


def test_opener_releases_nothing_of_a_tampered_file(identities, tmp_path):
    """A byte changed near the end of a 3 MiB export: the default Opener raises before giving
    any byte; only the explicit opt-in streams authenticated chunks before the error."""
    centre, hub = identities
    big = bytes(range(256)) * (3 << 12)
    (tmp_path / "big.bin").write_bytes(big)
    ona.seal_file(tmp_path / "big.bin", tmp_path / "big.ona", hub.encryption_public, centre, content="report")
    bad = bytearray((tmp_path / "big.ona").read_bytes())
    bad[-100] ^= 1
    (tmp_path / "bad.ona").write_bytes(bytes(bad))
    with pytest.raises(ona.DecryptionError):
        ona.Opener(tmp_path / "bad.ona", hub, centre.signing_public)
    o = ona.Opener(tmp_path / "bad.ona", hub, centre.signing_public, unverified_streaming=True)
    assert o.read(65536) == big[:65536] and not o.verified
    with pytest.raises(ona.DecryptionError):
        o.read()
    with ona.Opener(tmp_path / "big.ona", hub, centre.signing_public) as o:
        assert o.verified
        # A huge size is not allocated up front: this would abort the process if it were.
        assert o.read(2**62) == big and o.read(2**62) == b""


DEADLOCK_PROBE = """
import sys, threading, ona
hub = ona.Identity.from_file(sys.argv[1])
o = ona.Opener(sys.argv[2], hub, any_sender=True, unverified_streaming=True)
stop = threading.Event()
def poll():
    while not stop.is_set():
        o.verified, o.manifest
threads = [threading.Thread(target=poll) for _ in range(2)]
for t in threads: t.start()
n = 0
while True:
    b = o.read(1 << 16)
    if not b: break
    n += len(b)
stop.set()
for t in threads: t.join()
o.close()
print(n, o.verified)
"""


def test_other_threads_reading_state_during_reads_do_not_deadlock(identities, tmp_path):
    """`verified` and `manifest` from other threads while `read` runs with the GIL released
    (the old Opener held a mutex across it and hung). Run in a subprocess so a hang fails."""
    import subprocess
    import sys

    centre, hub = identities
    hub.save(tmp_path / "hub.key")
    (tmp_path / "big.bin").write_bytes(b"x" * (24 << 20))
    ona.seal_file(tmp_path / "big.bin", tmp_path / "big.ona", hub.encryption_public, centre, content="report")
    res = subprocess.run([sys.executable, "-c", DEADLOCK_PROBE, str(tmp_path / "hub.key"), str(tmp_path / "big.ona")],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == [str(24 << 20), "True"]


def test_the_careless_user_cannot_seal_raw_cases_as_cases(identities, cases, tmp_path):
    """The careless user (or a script with the wrong file) hands the centre's raw, identified
    cases to `seal`, `seal_file` or a `Sealer` as content "cases". The core's check (the one
    `ona seal` runs) refuses it with `ValidationError` and nothing is written; the woman's name
    is in no output."""
    centre, hub = identities
    raw = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases[:5]).encode()
    with pytest.raises(ona.ValidationError) as e:
        ona.seal(raw, hub.encryption_public, centre)
    assert e.value.error_class == "Validation" and "line 1 is a raw case record" in str(e.value)
    src = tmp_path / "raw.jsonl"
    src.write_bytes(raw)
    with pytest.raises(ona.ValidationError):
        ona.seal_file(src, tmp_path / "raw.ona", hub.encryption_public, centre)
    dst = tmp_path / "stream.ona"
    pseudonymised = ona.Pseudonymiser(bytes(32), "kz/test-2026").pseudonymise_cases(
        [json.dumps(c) for c in cases[:2]])
    good = "".join(json.dumps(r) + "\n" for r in pseudonymised).encode()
    with pytest.raises(ona.ValidationError) as e:
        with ona.Sealer(dst, hub.encryption_public, centre, record_count=7) as s:
            s.write(good)  # two pseudonymised records pass...
            for i in range(0, len(raw), 1000):  # ...the raw ones do not, however cut
                s.write(raw[i:i + 1000])
    assert "line 3 is a raw case record" in str(e.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw.jsonl"]
    # A count other than the one announced is refused at the end: no file either.
    with pytest.raises(ona.ValidationError, match="3 records announced, the content holds 2"):
        with ona.Sealer(dst, hub.encryption_public, centre, record_count=3) as s:
            s.write(good)
    assert not dst.exists()
    # Pseudonymised records pass all three ways; the manifest names their domain and key.
    for sealed in (ona.seal(good, hub.encryption_public, centre),):
        m = ona.open(sealed, hub, centre.signing_public).manifest
        assert (m["record_count"], m["pseudonym_domain"]) == (2, "kz/test-2026")
    (tmp_path / "good.jsonl").write_bytes(good)
    ona.seal_file(tmp_path / "good.jsonl", tmp_path / "good.ona", hub.encryption_public, centre)
    with ona.Sealer(dst, hub.encryption_public, centre, record_count=2,
                    pseudonym_domain="kz/test-2026",
                    pseudonym_key_id=pseudonymised[0]["pseudonymisation"]["key_id"]) as s:
        s.write(good)
    for path in (tmp_path / "good.ona", dst):
        assert ona.open(path.read_bytes(), hub, centre.signing_public).data == good
