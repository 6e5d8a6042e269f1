"""What `ona demo` writes opens in Python: the hub's sealed exports (packed pseudonymised cases)
read straight into a DataFrame, and the same report figures from them as the hub's."""

import json

import ona


def test_demo_exports_open_in_python(cli, tmp_path):
    out = tmp_path / "demo"
    cli("demo", "--cases", 2000, "--out", out)
    hub = ona.Identity.from_file(out / "keys" / "hub.key")
    kz = ona.Identity.from_file(out / "keys" / "kz.key")
    opened = ona.open((out / "exports" / "kz.ona").read_bytes(), hub, kz.signing_public)
    frame = ona.read_sealed(out / "exports" / "kz.ona", hub, kz.signing_public, lang="kk")
    assert len(frame) == opened.manifest["record_count"] > 0
    assert set(frame["status"]) <= set(ona.codes("case_status", "kk").values())
    (tmp_path / "kz.cases").write_bytes(opened.data)
    ours = json.loads(ona.report(tmp_path / "kz.cases", by="country,quarter").to_json())
    hubs = json.loads((out / "hub" / "reports" / "kz.json").read_text(encoding="utf-8"))
    assert ours["observations"] == hubs["observations"]
