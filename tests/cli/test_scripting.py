"""Scripting and long runs: --json output that parses and says what the text says, --quiet,
shell completions and the man page generated from the command-line definitions."""
import json


def test_validate_json_lists_invalid_records_then_a_summary(ona, synth_cases, tmp_path):
    lines = synth_cases.read_text(encoding="utf-8").splitlines()
    bad = json.loads(lines[2])
    bad["referral_source"] = "aliens"
    lines[2] = json.dumps(bad)
    src = tmp_path / "c.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = ona("validate", src, "--json", check=False)
    assert res.returncode == 1
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert out[-1] == {"records": 2000, "invalid": 1, "problems": len(out[0]["problems"])}
    assert out[0]["line"] == 3
    assert any(p["pointer"] == "/referral_source" and p["code"] and "aliens" in p["message"]
               for p in out[0]["problems"])
    text = ona("validate", src, check=False).stdout
    assert text.count("line 3:") == len(out[0]["problems"])


def test_pseudonymise_and_report_json(ona, synth_cases, tmp_path):
    key = tmp_path / "p.key"
    ona("pseudonym-key", "--out", key)
    out = tmp_path / "p.jsonl"
    res = ona("pseudonymise", "--key", key, "--domain", "kz/t", "--in", synth_cases, "--out", out,
              "--k", 5, "--json")
    s = json.loads(res.stdout)
    assert s["domain"] == "kz/t" and s["records_in"] == 2000 and s["key_id"]
    assert s["risk"]["k"] == 5 and s["risk"]["k_achieved"] >= 5
    assert s["records_out"] == len(out.read_text().splitlines())
    res = ona("report", "--in", out, "--out", tmp_path / "r.json", "--json")
    r = json.loads(res.stdout)
    report = json.loads((tmp_path / "r.json").read_text())
    assert r["observations"] == len(report["observations"])
    assert r["suppressed"] == sum(1 for o in report["observations"] if o.get("value") is None)
    assert r["epsilon_charged"] is None and r["ledger_dir"] is None


def test_quiet_keeps_stderr_for_errors_only(ona, tmp_path):
    res = ona("--quiet", "synth", "--cases", 5, "--out", tmp_path / "c.jsonl")
    assert res.stderr == ""
    res = ona("synth", "--cases", 5, "--out", tmp_path / "c.jsonl", "--quiet", check=False)
    assert res.returncode == 2 and "exists" in res.stderr


def test_completions_and_man_page(ona):
    bash = ona("completions", "bash").stdout
    assert "pseudonymise" in bash and "--force" in bash and "complete" in bash
    assert "pseudonymise" in ona("completions", "zsh").stdout
    man = ona("man").stdout
    assert man.startswith(".ie") or man.startswith(".TH") or ".TH ona" in man
    assert "pseudonymise" in man
    res = ona("completions", "tcsh", check=False)
    assert res.returncode == 2


def test_open_and_inspect_json(ona, synth_cases, tmp_path):
    hub = ona("keygen", "--out", tmp_path / "hub.key").stdout.split()
    centre = ona("keygen", "--out", tmp_path / "c.key").stdout.split()
    sealed = tmp_path / "c.ona"
    ona("seal", "--to", hub[0], "--sign", tmp_path / "c.key", "--in", synth_cases, "--out", sealed,
        "--content", "report")
    info = json.loads(ona("inspect", sealed, "--json").stdout)
    assert info["recipients"] == 1 and info["verified"] is False
    assert info["header_bytes"] + info["payload_bytes"] == sealed.stat().st_size
    res = ona("open", "--key", tmp_path / "hub.key", "--from", centre[1], "--in", sealed,
              "--out", tmp_path / "o.jsonl", "--json")
    opened = json.loads(res.stdout)
    assert opened["verified"] is True and opened["manifest"]["sender"] == centre[1]
    assert (tmp_path / "o.jsonl").read_bytes() == synth_cases.read_bytes()
