//! The language-neutral test kit in `tests/vectors/seal/`: every file is run here.
//!
//! Over 500 lines because `generate` lists every vector of the kit in one place, in file order:
//! a long table of cases, not logic, read side by side with the files it writes.
//!
//! Each vector is a JSON object: `name`, `description`, `expect` (`success` or the failure
//! class, named after the `OpenError` variant in snake_case), `identity` (the recipient's secret
//! key file text), `expected_sender` (signing public key or null), `plaintext_sha256` (hex, for
//! success) and `sealed` (the file, hex). Regenerate with `ONA_REGEN_VECTORS=1 cargo test
//! --test seal_vectors` (the generator is deterministic: same code, same files). Files named
//! `v1_*` were written by the version 1 writer and are kept as they are: readers still open
//! version 1.

use ona_core::seal::*;
use ring::digest::{digest, SHA256};
use serde_json::{json, Value};
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/seal")
}

struct Kit {
    centre: Identity,
    hub: Identity,
    out: Vec<(String, Value)>,
}

fn manifest(n: u64) -> Manifest {
    let mut m = Manifest::new(ContentType::Cases, n);
    m.export_id = "000102030405060708090a0b0c0d0e0f".into();
    m.created_at = 1_767_225_600;
    m
}

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| b"{\"case\":1}\n"[i % 11]).collect()
}

impl Kit {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        name: &str,
        desc: &str,
        expect: &str,
        sealed: &[u8],
        who: &Identity,
        sender: bool,
        pt: Option<&[u8]>,
    ) {
        let v = json!({
            "name": name,
            "description": desc,
            "expect": expect,
            "identity": who.to_secret_text().as_str(),
            "expected_sender": if sender { Value::String(self.centre.signing_public().to_string()) } else { Value::Null },
            "plaintext_sha256": pt.map(|p| hex::encode(digest(&SHA256, p))),
            "sealed": hex::encode(sealed),
        });
        self.out.push((name.to_string(), v));
    }
    fn seal(&self, pt: &[u8], seed: &str) -> Vec<u8> {
        seal_deterministic_for_tests(
            pt,
            &manifest(1),
            &[self.hub.encryption_public()],
            &self.centre,
            seed.as_bytes(),
        )
        .unwrap()
    }
}

fn generate() -> Vec<(String, Value)> {
    let mut k = Kit {
        centre: Identity::from_seed_for_tests(b"vector centre"),
        hub: Identity::from_seed_for_tests(b"vector hub"),
        out: vec![],
    };
    let hub = Identity::from_seed_for_tests(b"vector hub");
    let stranger = Identity::from_seed_for_tests(b"vector stranger");
    // Valid files.
    for (name, len) in [
        ("empty", 0),
        ("one_byte", 1),
        ("small", 100),
        ("one_full_chunk_of_content", CHUNK_LEN),
        ("several_chunks", 3 * CHUNK_LEN + 17),
    ] {
        let pt = data(len);
        let s = k.seal(&pt, name);
        k.add(&format!("valid_{name}"), "a valid file", "success", &s, &hub, true, Some(&pt));
    }
    // Payload stream length an exact multiple of the chunk: the final chunk is empty.
    let mut mm = manifest(1);
    mm.sender = k.centre.signing_public().to_string();
    let mlen = mm.encode().unwrap().len();
    let exact = data(2 * CHUNK_LEN - mlen - SIGNATURE_LEN);
    let s = k.seal(&exact, "exact");
    assert_eq!(s.len(), header_len(1) + 2 * WIRE_CHUNK_LEN + TAG_LEN, "final chunk must be empty");
    k.add(
        "valid_empty_final_chunk",
        "payload stream fills two chunks exactly; final chunk empty",
        "success",
        &s,
        &hub,
        true,
        Some(&exact),
    );
    let pt = data(50);
    let s = k.seal(&pt, "nosender");
    k.add(
        "valid_without_expected_sender",
        "valid, opened without naming a sender",
        "success",
        &s,
        &hub,
        false,
        Some(&pt),
    );
    let others: Vec<Identity> =
        (0..63).map(|i| Identity::from_seed_for_tests(format!("r{i}").as_bytes())).collect();
    let mut rs: Vec<EncryptionPublicKey> = others.iter().map(|i| i.encryption_public()).collect();
    rs.push(hub.encryption_public());
    let s = seal_deterministic_for_tests(&pt, &manifest(1), &rs, &k.centre, b"64").unwrap();
    k.add(
        "valid_64_recipients_last",
        "64 recipients, ours is the last stanza",
        "success",
        &s,
        &hub,
        true,
        Some(&pt),
    );
    k.add(
        "valid_64_recipients_first",
        "64 recipients, ours is the first stanza",
        "success",
        &s,
        &others[0],
        true,
        Some(&pt),
    );
    let mut m = manifest(7);
    m.content_type = ContentType::Report;
    m.pseudonym_domain = Some("kz-almaty".into());
    m.pseudonym_key_id = Some("k2026".into());
    let s =
        seal_deterministic_for_tests(&pt, &m, &[hub.encryption_public()], &k.centre, b"m").unwrap();
    k.add(
        "valid_report_with_pseudonym_domain",
        "report with all manifest fields set",
        "success",
        &s,
        &hub,
        true,
        Some(&pt),
    );

    // Recipients and senders.
    let small = k.seal(&pt, "base");
    k.add(
        "wrong_recipient",
        "sealed to another key",
        "no_matching_recipient",
        &small,
        &stranger,
        true,
        None,
    );
    let mut sk = Kit {
        centre: Identity::from_seed_for_tests(b"vector impostor"),
        hub: Identity::from_seed_for_tests(b"vector hub"),
        out: vec![],
    };
    let imp = sk.seal(&pt, "imp");
    sk.centre = Identity::from_seed_for_tests(b"vector centre");
    k.add(
        "unexpected_sender",
        "valid file signed by another centre than expected",
        "unexpected_sender",
        &imp,
        &hub,
        true,
        None,
    );

    // Header fields.
    let n = 1;
    let hl = header_len(n);
    let fields: [(&str, usize, &str); 9] = [
        ("magic", 0, "header_malformed"),
        ("version", 8, "unsupported_version"),
        ("suite", 10, "unsupported_suite"),
        ("salt", 12, "no_matching_recipient"),
        ("stanza_enc", 44, "no_matching_recipient"),
        ("stanza_wrapped_key", 44 + 32, "no_matching_recipient"),
        ("stanza_tag", 44 + 79, "no_matching_recipient"),
        ("commitment", 44 + 80, "key_commitment"),
        ("header_mac", 44 + 80 + 32, "header_mac"),
    ];
    for (f, off, expect) in fields {
        let mut t = small.clone();
        t[off] ^= 0x01;
        k.add(
            &format!("flip_{f}"),
            &format!("one bit flipped in the {f} field"),
            expect,
            &t,
            &hub,
            true,
            None,
        );
    }
    let mut t = small.clone();
    t[8] = 0;
    k.add("version_zero", "version byte 0", "unsupported_version", &t, &hub, true, None);
    let mut t = small.clone();
    t[8] = 3;
    k.add("version_three", "a future version", "unsupported_version", &t, &hub, true, None);
    let mut t = small.clone();
    t[8] = 1;
    k.add(
        "version_downgraded_to_one",
        "a version 2 file relabelled version 1: the stanza's AAD holds the version",
        "no_matching_recipient",
        &t,
        &hub,
        true,
        None,
    );
    let mut t = small.clone();
    t[11] = 0;
    k.add("zero_recipients", "recipient count 0", "header_malformed", &t, &hub, true, None);
    let mut t = small.clone();
    t[11] = 65;
    k.add(
        "caps_65_recipients",
        "recipient count above the cap of 64",
        "limit_exceeded",
        &t,
        &hub,
        true,
        None,
    );
    let mut t = small.clone();
    t[11] = 255;
    k.add("caps_255_recipients", "recipient count 255", "limit_exceeded", &t, &hub, true, None);
    let mut t = small.clone();
    t[11] = 2;
    k.add(
        "recipient_count_too_high",
        "count says 2 stanzas, file has 1",
        "no_matching_recipient",
        &t,
        &hub,
        true,
        None,
    );
    let two = seal_deterministic_for_tests(
        &pt,
        &manifest(1),
        &[stranger.encryption_public(), hub.encryption_public()],
        &k.centre,
        b"two",
    )
    .unwrap();
    let mut t = two.clone();
    let st1 = t[44 + 80..44 + 160].to_vec();
    t[44..44 + 80].copy_from_slice(&st1);
    k.add(
        "duplicate_stanza",
        "the same stanza twice (non-canonical)",
        "header_malformed",
        &t,
        &hub,
        true,
        None,
    );
    let mut t = two.clone();
    t[44 + 40] ^= 0x01;
    k.add(
        "flip_other_recipients_stanza",
        "bit flipped in another recipient's stanza",
        "header_mac",
        &t,
        &hub,
        true,
        None,
    );
    let mut t = two.clone();
    t[11] = 1;
    t.drain(44..44 + 80);
    k.add(
        "stanza_removed",
        "a stanza removed and the count lowered (the count is in every stanza's AAD)",
        "no_matching_recipient",
        &t,
        &hub,
        true,
        None,
    );
    for cut in [0, 7, 8, 11, 12, 44, 44 + 80, 44 + 112, hl - 1, hl] {
        let expect = if cut == hl { "truncated" } else { "header_malformed" };
        k.add(
            &format!("truncated_header_at_{cut}"),
            "file cut inside or right after the header",
            expect,
            &small[..cut],
            &hub,
            true,
            None,
        );
    }

    // Payload: several chunks.
    let big = k.seal(&data(3 * CHUNK_LEN + 17), "big");
    let w = WIRE_CHUNK_LEN;
    let chunk = |i: usize| hl + i * w;
    for i in 0..4 {
        k.add(
            &format!("truncated_at_chunk_boundary_{i}"),
            "file cut right before chunk i",
            "truncated",
            &big[..chunk(i)],
            &hub,
            true,
            None,
        );
    }
    for i in 0..3 {
        k.add(
            &format!("truncated_inside_chunk_{i}"),
            "file cut inside chunk i",
            "chunk_authentication",
            &big[..chunk(i) + 1000],
            &hub,
            true,
            None,
        );
        let mut t = big.clone();
        t[chunk(i) + 5] ^= 0x20;
        k.add(
            &format!("flip_chunk_{i}_body"),
            "bit flipped in the ciphertext of chunk i",
            "chunk_authentication",
            &t,
            &hub,
            true,
            None,
        );
        let mut t = big.clone();
        t[chunk(i) + w - 1] ^= 0x01;
        k.add(
            &format!("flip_chunk_{i}_tag"),
            "bit flipped in the tag of chunk i",
            "chunk_authentication",
            &t,
            &hub,
            true,
            None,
        );
    }
    let mut t = big.clone();
    let last = t.len() - 3;
    t[last] ^= 0x04;
    k.add(
        "flip_final_chunk",
        "bit flipped in the final chunk",
        "chunk_authentication",
        &t,
        &hub,
        true,
        None,
    );
    for (a, b) in [(0, 1), (1, 2), (0, 2)] {
        let mut t = big.clone();
        t[chunk(a)..chunk(a) + w].copy_from_slice(&big[chunk(b)..chunk(b) + w]);
        t[chunk(b)..chunk(b) + w].copy_from_slice(&big[chunk(a)..chunk(a) + w]);
        k.add(
            &format!("reordered_chunks_{a}_{b}"),
            "two full chunks swapped",
            "chunk_authentication",
            &t,
            &hub,
            true,
            None,
        );
    }
    for i in 0..3 {
        let mut t = big[..chunk(i + 1)].to_vec();
        t.extend_from_slice(&big[chunk(i)..]);
        k.add(
            &format!("duplicated_chunk_{i}"),
            "chunk i repeated",
            "chunk_authentication",
            &t,
            &hub,
            true,
            None,
        );
        let mut t = big[..chunk(i)].to_vec();
        t.extend_from_slice(&big[chunk(i + 1)..]);
        k.add(
            &format!("dropped_chunk_{i}"),
            "chunk i removed",
            "chunk_authentication",
            &t,
            &hub,
            true,
            None,
        );
    }
    let mut t = big.clone();
    t.push(0);
    k.add("trailing_byte", "one byte appended", "chunk_authentication", &t, &hub, true, None);
    let mut t = big.clone();
    t.extend_from_slice(&big[chunk(0)..chunk(1)]);
    k.add(
        "trailing_full_chunk",
        "a full chunk appended",
        "chunk_authentication",
        &t,
        &hub,
        true,
        None,
    );
    let mut t = small.clone();
    t.extend_from_slice(&small[hl..]);
    k.add(
        "trailing_copy_of_final_chunk",
        "the final chunk appended again",
        "chunk_authentication",
        &t,
        &hub,
        true,
        None,
    );
    let mut t = big.clone();
    t.truncate(chunk(3));
    t.extend_from_slice(&small[hl..]);
    k.add(
        "final_chunk_from_other_file",
        "final chunk spliced from another file",
        "chunk_authentication",
        &t,
        &hub,
        true,
        None,
    );

    // Signature and manifest, crafted with a valid header and encryption.
    let rs = [hub.encryption_public()];
    let centre = Identity::from_seed_for_tests(b"vector centre");
    let mut m = manifest(1);
    m.sender = centre.signing_public().to_string();
    let frame = m.encode().unwrap();
    let body = data(400);
    let build = |sig: &SignFn<'_>, frame: &[u8], seed: &[u8]| {
        seal_raw_stream_for_tests(&rs, &centre, seed, |h| {
            let mut t = frame.to_vec();
            t.extend_from_slice(&body);
            let d = content_digest_for_tests(h[8], &t);
            let s = sig(h, &d);
            t.extend_from_slice(&s);
            t
        })
        .unwrap()
    };
    let good = |h: &[u8], d: &[u8]| centre.sign_for_tests(&transcript_for_tests(h, d));
    let s = build(&good, &frame, b"sig");
    k.add(
        "valid_crafted_stream",
        "the crafting path itself gives a valid file",
        "success",
        &s,
        &hub,
        true,
        Some(&body),
    );
    let s = build(
        &|h, d| {
            let mut x = good(h, d);
            x[0] ^= 1;
            x
        },
        &frame,
        b"sig",
    );
    k.add(
        "bad_signature_bit",
        "signature with one bit flipped",
        "bad_signature",
        &s,
        &hub,
        true,
        None,
    );
    let s = build(&|_, _| vec![0u8; 64], &frame, b"sig");
    k.add("bad_signature_zero", "all-zero signature", "bad_signature", &s, &hub, true, None);
    let s = build(&|_, _| Vec::new(), &frame, b"sig");
    k.add(
        "missing_signature",
        "no signature at the end of the stream",
        "bad_signature",
        &s,
        &hub,
        false,
        None,
    );
    let s = build(&|h, d| stranger.sign_for_tests(&transcript_for_tests(h, d)), &frame, b"sig");
    k.add(
        "signature_by_other_key",
        "signed by a key other than the manifest's sender",
        "bad_signature",
        &s,
        &hub,
        false,
        None,
    );
    let s =
        build(&|h, _| centre.sign_for_tests(&transcript_for_tests(h, &[0u8; 32])), &frame, b"sig");
    k.add(
        "signature_over_other_plaintext",
        "signature over another digest",
        "bad_signature",
        &s,
        &hub,
        true,
        None,
    );
    let s = build(
        &|_, d| centre.sign_for_tests(&transcript_for_tests(&small[..hl], d)),
        &frame,
        b"sig",
    );
    k.add(
        "signature_over_other_header",
        "signature bound to another file's header (replay)",
        "bad_signature",
        &s,
        &hub,
        true,
        None,
    );
    let mut json: Value = serde_json::from_slice(&frame[4..]).unwrap();
    json["record_count"] = json!(2);
    let pretty = serde_json::to_vec_pretty(&json).unwrap();
    let mut f2 = (pretty.len() as u32).to_be_bytes().to_vec();
    f2.extend_from_slice(&pretty);
    let s = build(&good, &f2, b"sig");
    k.add(
        "manifest_not_canonical",
        "manifest JSON with whitespace",
        "manifest_malformed",
        &s,
        &hub,
        true,
        None,
    );
    let mut f3 = 20_000u32.to_be_bytes().to_vec();
    f3.extend_from_slice(&vec![b' '; 20_000]);
    let s = build(&good, &f3, b"sig");
    k.add(
        "caps_manifest_too_large",
        "manifest length above 16 KiB",
        "limit_exceeded",
        &s,
        &hub,
        true,
        None,
    );
    let mut f4 = 10u32.to_be_bytes().to_vec();
    f4.extend_from_slice(b"{\"a\":1}   ");
    let s = build(&good, &f4, b"sig");
    k.add(
        "manifest_unknown_fields",
        "manifest that is not the documented object",
        "manifest_malformed",
        &s,
        &hub,
        true,
        None,
    );
    let s = seal_raw_stream_for_tests(&rs, &centre, b"short", |_| b"\0\0".to_vec()).unwrap();
    k.add(
        "stream_too_short",
        "payload stream of 2 bytes: no room for a signature",
        "bad_signature",
        &s,
        &hub,
        true,
        None,
    );
    // The manifest frame announces 100 bytes; the stream ends 16 bytes later (then 64 bytes
    // where a signature would be).
    let s = seal_raw_stream_for_tests(&rs, &centre, b"cut", |_| {
        let mut t = 100u32.to_be_bytes().to_vec();
        t.extend_from_slice(&[b' '; 16 + 64]);
        t
    })
    .unwrap();
    k.add(
        "manifest_cut_short",
        "the payload stream ends inside the manifest",
        "manifest_malformed",
        &s,
        &hub,
        true,
        None,
    );
    // Pseudonymised cases: the manifest names their domain and key id (docs/seal-format.md §7's
    // example is this manifest).
    let mut m = manifest(3);
    m.pseudonym_domain = Some("kz/regional-report-2026".into());
    m.pseudonym_key_id = Some("00112233aabbccdd".into());
    let pt = data(33);
    let s = seal_deterministic_for_tests(
        &pt,
        &m,
        &[k.hub.encryption_public()],
        &k.centre,
        b"with domain",
    )
    .unwrap();
    k.add(
        "success_cases_with_domain",
        "a cases export whose manifest names the pseudonym domain and key id",
        "success",
        &s,
        &hub,
        true,
        Some(&pt),
    );
    k.out
}

type SignFn<'a> = dyn Fn(&[u8], &[u8]) -> Vec<u8> + 'a;

fn run_one(v: &Value) -> Result<(), String> {
    let id = Identity::from_secret_text(v["identity"].as_str().unwrap()).unwrap();
    let sender: Option<SigningPublicKey> =
        v["expected_sender"].as_str().map(|s| s.parse().unwrap());
    let sealed = hex::decode(v["sealed"].as_str().unwrap()).unwrap();
    let expect = v["expect"].as_str().unwrap();
    match open(&sealed, &id, sender.as_ref()) {
        Ok(o) if expect == "success" => {
            let h = hex::encode(digest(&SHA256, &o.plaintext));
            if Some(h.as_str()) == v["plaintext_sha256"].as_str() {
                Ok(())
            } else {
                Err("plaintext digest differs".into())
            }
        }
        Ok(_) => Err(format!("opened, expected {expect}")),
        Err(e) if e.kind() == expect => Ok(()),
        Err(e) => Err(format!("got {} ({e}), expected {expect}", e.kind())),
    }
}

#[test]
fn seal_test_kit() {
    if std::env::var_os("ONA_REGEN_VECTORS").is_some() {
        let d = dir();
        std::fs::create_dir_all(&d).unwrap();
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_str().unwrap();
            // RFC 9180's vectors and the version 1 files (no longer written) are kept.
            if p.extension().is_some_and(|x| x == "json")
                && !name.starts_with("rfc9180")
                && !name.starts_with("v1_")
            {
                std::fs::remove_file(p).unwrap();
            }
        }
        for (name, v) in generate() {
            std::fs::write(
                d.join(format!("{name}.json")),
                serde_json::to_string_pretty(&v).unwrap() + "\n",
            )
            .unwrap();
        }
    }
    let mut n = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<_> =
        std::fs::read_dir(dir()).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.extension().is_none_or(|x| x != "json")
            || p.file_name().unwrap().to_str().unwrap().starts_with("rfc9180")
        {
            continue;
        }
        let v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        n += 1;
        let v1 = v["name"].as_str().unwrap().starts_with("v1_");
        if v1 || v["expect"] == "success" {
            let version = hex::decode(&v["sealed"].as_str().unwrap()[16..18]).unwrap()[0];
            assert_eq!(version, if v1 { 1 } else { VERSION }, "{}", p.display());
        }
        if let Err(e) = run_one(&v) {
            failures.push(format!("{}: {e}", p.display()));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(n >= 60, "only {n} vectors");
}
