"""`ona demo --no-case-files` keeps nothing in the clear, and its sealed exports work with the
other commands: `ona open` then `ona report` on the packed records gives the hub's report byte
for byte, and `ona seal` counts the packed records."""
import re


def test_exports_of_a_demo_without_case_files_open_and_report_like_the_hub(ona, tmp_path):
    out = tmp_path / "demo"
    res = ona("demo", "--out", out, "--cases", 3000, "--seed", 5, "--no-case-files")
    # Nothing in the clear: no centre files, no hub inbox.
    assert not (out / "centres").exists() and not (out / "hub/inbox").exists()
    assert "pseudo.jsonl" not in res.stdout and "inbox" not in res.stdout
    senders = dict(re.findall(r"^  (KZ|UZ|KG|UA|MY|TR)\s+onaenc1[0-9a-z]+ (onasig1[0-9a-z]+)$", res.stdout, re.M))
    assert len(senders) == 6
    rows = {l.split()[0]: l.split() for l in res.stdout.splitlines() if re.match(r"^(KZ|UZ|KG|UA|MY|TR)\s", l)}
    for cc in ("kz", "tr"):
        opened = tmp_path / f"{cc}.packed"
        ona("open", "--key", out / "keys/hub.key", "--from", senders[cc.upper()],
            "--in", out / "exports" / f"{cc}.ona", "--out", opened)
        assert opened.read_bytes().startswith(b"ona-packed-cases/1\n")
        report = tmp_path / f"{cc}.json"
        ona("report", "--in", opened, "--by", "country,quarter", "--out", report)
        assert report.read_bytes() == (out / "hub/reports" / f"{cc}.json").read_bytes()
        # Sealing the packed records again announces as many records as the demo counted.
        ona("keygen", "--out", tmp_path / f"{cc}.key")
        hub_pub = ona("pubkey", out / "keys/hub.key").stdout.split()[0]
        ona("seal", "--to", hub_pub, "--sign", tmp_path / f"{cc}.key", "--in", opened,
            "--out", tmp_path / f"{cc}.ona")
        # Its sender is in no directory: the hub opens it only when told to accept anyone,
        # and is told the sender was not verified.
        refused = ona("open", "--key", out / "keys/hub.key", "--directory", out / "directory.json",
                      "--in", tmp_path / f"{cc}.ona", "--out", tmp_path / f"{cc}.again", check=False)
        assert refused.returncode == 1 and "not in the network directory" in refused.stderr
        assert not (tmp_path / f"{cc}.again").exists()
        again = ona("open", "--key", out / "keys/hub.key", "--any-sender", "--in", tmp_path / f"{cc}.ona",
                    "--out", tmp_path / f"{cc}.again")
        assert f"({rows[cc.upper()][1]} records)" in again.stderr
        assert "sender NOT verified" in again.stderr
        # The demo's own export opens with the directory it wrote, sender named.
        via_dir = ona("open", "--key", out / "keys/hub.key", "--directory", out / "directory.json",
                      "--from", cc, "--in", out / "exports" / f"{cc}.ona", "--out", tmp_path / f"{cc}.dir")
        assert f"`{cc}`" in via_dir.stderr and "pseudonym domain: " in via_dir.stderr
    # A damaged packed file is refused with a clear message, not a crash.
    bad = tmp_path / "bad.packed"
    data = (tmp_path / "kz.packed").read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    res = ona("report", "--in", bad, "--out", tmp_path / "bad.json", check=False)
    assert res.returncode == 1 and "packed records" in res.stderr
