"""The network directory from Python, played against a stranger sealing to the hub's public
key, a revoked member, a key used outside its validity, a forged directory and a replayed one.
Opening has no default that skips the sender check."""

import pytest

import ona


@pytest.fixture()
def network(cli, tmp_path):
    def keygen(name):
        enc, sig = cli("keygen", "--out", tmp_path / f"{name}.key").stdout.split()
        return ona.Identity.from_file(tmp_path / f"{name}.key"), enc, sig

    hub, _, hub_sig = keygen("hub")
    kz, kz_enc, kz_sig = keygen("kz")
    uz, uz_enc, uz_sig = keygen("uz")
    path = tmp_path / "directory.json"
    edit = ("--directory", path, "--key", tmp_path / "hub.key")
    cli("directory", "init", "--key", tmp_path / "hub.key", "--out", path, "--network", "Test",
        "--name", "Hub", "--country", "TR")
    cli("directory", "add", *edit, "--id", "kz", "--name", "KZ centres", "--country", "KZ",
        "--role", "centre", "--enc", kz_enc, "--sig", kz_sig, "--valid-from", "2020-01-01")
    cli("directory", "add", *edit, "--id", "uz", "--name", "UZ centres", "--country", "UZ",
        "--role", "centre", "--enc", uz_enc, "--sig", uz_sig, "--valid-from", "2999-01-01")
    return {"hub": hub, "hub_sig": hub_sig, "kz": kz, "uz": uz, "path": path, "edit": edit}


def sealed_by(who, hub):
    return ona.seal(b'{"indicator":1}', hub.encryption_public, who, content="report")


def test_open_checks_the_sender_against_the_directory(network, tmp_path, cli):
    hub, kz = network["hub"], network["kz"]
    d = ona.Directory.verify(network["path"].read_bytes(), network["hub_sig"])
    assert d.serial == 3 and d.recipient("kz") == kz.encryption_public
    assert [o["id"] for o in d.organisations] == ["hub", "kz", "uz"]
    good = sealed_by(kz, hub)
    opened = ona.open(good, hub, directory=d)
    assert opened.sender_verified and opened.data == b'{"indicator":1}'
    assert ona.open(good, hub, "kz", directory=d).sender_verified
    assert ona.open(good, hub, kz.signing_public, directory=d).sender_verified
    with pytest.raises(ona.SignatureError) as e:
        ona.open(good, hub, "uz", directory=d)
    assert e.value.kind == "sender_not_allowed"
    # A stranger who knows the hub's public key.
    forged = sealed_by(ona.Identity.generate(), hub)
    with pytest.raises(ona.SignatureError) as e:
        ona.open(forged, hub, directory=d)
    assert e.value.kind == "sender_not_allowed" and "not in the network directory" in str(e.value)
    (tmp_path / "f.ona").write_bytes(forged)
    with pytest.raises(ona.SignatureError):
        ona.open_file(tmp_path / "f.ona", tmp_path / "f.out", hub, directory=d)
    assert not (tmp_path / "f.out").exists()
    with pytest.raises(ona.SignatureError):
        ona.Opener(tmp_path / "f.ona", hub, directory=d)
    # A key not valid yet.
    with pytest.raises(ona.SignatureError) as e:
        ona.open(sealed_by(network["uz"], hub), hub, directory=d)
    assert "not valid at" in str(e.value)
    # No default: without sender, directory or any_sender the call is refused.
    with pytest.raises(ValueError, match="any_sender"):
        ona.open(forged, hub)
    with pytest.raises(ValueError):
        ona.open_file(tmp_path / "f.ona", tmp_path / "f.out", hub)
    with pytest.raises(ValueError):
        ona.Opener(tmp_path / "f.ona", hub)
    with pytest.raises(ValueError):
        ona.open(forged, hub, directory=d, any_sender=True)
    # Anyone, explicitly: opens and says so.
    anyone = ona.open(forged, hub, any_sender=True)
    assert not anyone.sender_verified and "NOT verified" in repr(anyone)


def test_revoked_forged_and_replayed_directories(network, cli):
    hub, kz = network["hub"], network["kz"]
    old = network["path"].read_bytes()
    cli("directory", "revoke", *network["edit"], "--id", "kz")
    new = ona.Directory.verify(network["path"].read_bytes(), network["hub_sig"], min_serial=3)
    assert new.serial == 4
    with pytest.raises(ona.SignatureError) as e:
        ona.open(sealed_by(kz, hub), hub, directory=new)
    assert "revoked" in str(e.value)
    # The old edition, genuinely signed, is refused once the new serial is known.
    with pytest.raises(ona.DirectoryError, match="rollback"):
        ona.Directory.verify(old, network["hub_sig"], min_serial=new.serial)
    # Changed after signing; signed by someone else.
    stranger = ona.Identity.generate()
    tampered = old.replace(kz.signing_public.encode(), stranger.signing_public.encode())
    with pytest.raises(ona.DirectoryError, match="signature"):
        ona.Directory.verify(tampered, network["hub_sig"])
    with pytest.raises(ona.DirectoryError, match="pinned hub"):
        ona.Directory.verify(old, stranger.signing_public)
