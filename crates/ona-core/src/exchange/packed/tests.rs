//! Tests of the packed form: records come back equal, the layout is pinned by a golden stream,
//! and damaged input is an error, never a panic.

use super::*;
use crate::pseudonym::testing::sample_case;
use crate::pseudonym::{MasterKey, Policy, Pseudonymiser};

fn records() -> Vec<PseudoCase> {
    let key = MasterKey::from_bytes(&[7; 32], 1).unwrap();
    let policies = [
        Policy::default(),
        Policy::from_text("id = \"t1\"\ndates = \"shift\"\nnotes = \"scrub\"\nplace = \"country\"")
            .unwrap(),
        Policy::from_text("id = \"t2\"\ndates = \"day\"\nchild_age = \"weeks\"").unwrap(),
        Policy::from_text(
            "id = \"t3\"\ndates = \"year\"\n[fields]\n\"/mother/citizenship\" = \"drop\"",
        )
        .unwrap(),
    ];
    let mut out = Vec::new();
    for (i, p) in policies.into_iter().enumerate() {
        let ps = Pseudonymiser::new(&key, &format!("kz/packed-test-{i}"), p).unwrap();
        let mut case = sample_case();
        out.push(ps.pseudonymise(&case).unwrap());
        // A sparser record: no stay, outcome, services or follow-ups.
        case.stay = None;
        case.outcome = None;
        case.services.clear();
        case.follow_ups.clear();
        case.id.push('9');
        out.push(ps.pseudonymise(&case).unwrap());
    }
    out
}

fn pack(records: &[PseudoCase]) -> Vec<u8> {
    let mut w = PackedWriter::new(Vec::new()).unwrap();
    for r in records {
        w.write(r).unwrap();
    }
    w.finish().unwrap()
}

fn unpack(bytes: &[u8]) -> Result<Vec<PseudoCase>, PackedError> {
    PackedReader::new(bytes)?.collect()
}

#[test]
fn records_come_back_equal_and_much_smaller() {
    let recs = records();
    let packed = pack(&recs);
    assert!(is_packed(&packed));
    assert_eq!(unpack(&packed).unwrap(), recs);
    let json: usize = recs.iter().map(|r| serde_json::to_vec(r).unwrap().len() + 1).sum();
    assert!(packed.len() * 3 < json, "packed {} bytes, JSON {json}", packed.len());
}

#[test]
fn blocks_packed_apart_concatenate_into_one_stream() {
    let recs = records();
    let (a, b) = recs.split_at(3);
    let mut stream = MAGIC.to_vec();
    for part in [a, b] {
        let mut enc = BlockEncoder::new();
        for r in part {
            enc.push(r).unwrap();
        }
        stream.extend(enc.take());
    }
    assert_eq!(unpack(&stream).unwrap(), recs);
}

#[test]
fn large_streams_span_several_blocks() {
    let recs = records();
    let many: Vec<PseudoCase> = (0..3000).map(|i| recs[i % recs.len()].clone()).collect();
    let packed = pack(&many);
    let mut r = PackedReader::new(&packed[..]).unwrap();
    let mut n = 0;
    while let Some(c) = r.read().unwrap() {
        assert_eq!(c, many[n]);
        n += 1;
    }
    assert_eq!(n, many.len());
    assert!(r.blocks > 2, "{} blocks", r.blocks);
}

/// The layout of a record is part of the format: if this changes, the format changed (new
/// magic, docs) — or a field of `PseudoCase` moved by mistake.
#[test]
fn golden_stream() {
    let key = MasterKey::from_bytes(&[7; 32], 1).unwrap();
    let ps = Pseudonymiser::new(&key, "kz/golden", Policy::default()).unwrap();
    let mut case = sample_case();
    case.services.clear();
    case.follow_ups.clear();
    case.risk_assessments.clear();
    let packed = pack(&[ps.pseudonymise(&case).unwrap()]);
    let hex: String = packed[MAGIC.len()..].iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, GOLDEN, "{hex}");
}

/// Block header (389 bytes, 1 record), the case's bitmap `ff ff 07`, `"1.0"` as a literal, the
/// metadata's bitmap `0f`, the domain, … the case pseudonym as tag `01` and 16 bytes, …
const GOLDEN: &str = concat!(
    "850301ffff070003312e300f00096b7a2f676f6c64656e001034396535373634356532616631353730000764",
    "656661756c7400018d26bc6859e46cc36b9967c2b4bc748c0f01000c6b7a2d616c6d6174792d30310007616e",
    "612d75796900024b5a0100054b5a2d37350007323032352d30330006636c6f73656401000e6d617465726e69",
    "74795f77617264010c01000b636f6e7369646572696e670101000e706c616e5f636f6d706c65746564ff0301",
    "01d115b482a9680aa2cb834f56d66f300f01000532352d323901090108010007636974697a656e0100076973",
    "6365645f3301000a756e656d706c6f79656401000673696e676c650100010002332b01ff00010108dc4a6eb9",
    "7665ac8b36f572e6b221eb000666656d616c6501000350304d010a01b219012701010c0000010f0a01000732",
    "3032352d3037016f000b7265736964656e7469616c0107000b776974685f6d6f74686572000672656e746564",
    "000862656e656669747300010300166b7a5f66616d696c795f6d61705f63617465676f7279000143",
);

#[test]
fn other_data_is_not_packed() {
    assert!(matches!(
        PackedReader::new(&b"{\"schema_version\":\"1.0\"}\n"[..]),
        Err(PackedError::NotPacked)
    ));
    assert!(matches!(PackedReader::new(&b""[..]), Err(PackedError::NotPacked)));
    assert!(unpack(MAGIC).unwrap().is_empty(), "a stream of no records");
}

#[test]
fn damaged_streams_are_errors_not_panics() {
    let recs = records();
    let packed = pack(&recs[..2]);
    // Every truncation is an error (or, at a block boundary, fewer records).
    for cut in MAGIC.len()..packed.len() {
        match unpack(&packed[..cut]) {
            Err(_) => {}
            Ok(got) => assert!(got.len() < 2, "cut at {cut}"),
        }
    }
    // Every single-byte change either fails or decodes to something; it never panics.
    for at in MAGIC.len()..packed.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut bad = packed.clone();
            bad[at] ^= flip;
            let _ = unpack(&bad);
        }
    }
    // A block claiming to be huge is refused before anything is allocated for it.
    let mut huge = MAGIC.to_vec();
    huge.extend([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
    assert!(matches!(unpack(&huge), Err(PackedError::Malformed { .. })));
}

/// A block in the form of `bytes`, behind the magic: one record.
fn one_record_stream(body: &[u8]) -> Vec<u8> {
    let mut s = MAGIC.to_vec();
    put_varint(&mut s, body.len() as u64);
    put_varint(&mut s, 1);
    s.extend_from_slice(body);
    s
}

#[test]
fn dictionary_references_cannot_expand_a_record_a_thousandfold() {
    // The attacker: a block of one-byte references to a 64-byte dictionary string. 1,000 lists
    // of 1,000 references are about 1 MB on the wire and would be 64 MB of strings decoded; a
    // 16 MiB block of them would be about 1 GiB.
    let mut body = Vec::new();
    put_varint(&mut body, 1000);
    for i in 0..1000 {
        put_varint(&mut body, 1000);
        let first = if i == 0 { 1 } else { 0 };
        if first == 1 {
            put_varint(&mut body, wire::TAG_LITERAL);
            put_varint(&mut body, 64);
            body.extend_from_slice(&[b'a'; 64]);
        }
        for _ in first..1000 {
            put_varint(&mut body, wire::TAG_DICT);
        }
    }
    assert!(body.len() < 1_100_000);
    let mut dict = Vec::new();
    let mut de = Decoder::new(&body, 0, &mut dict);
    let err = Vec::<Vec<String>>::deserialize(&mut de).unwrap_err();
    assert!(err.to_string().contains("decodes to more than 16 MiB"), "{err}");
    // The same lists, fewer of them, decode: the cap is not hit by honest sizes.
    let mut small = Vec::new();
    put_varint(&mut small, 2);
    for _ in 0..2 {
        put_varint(&mut small, 1000);
        for _ in 0..1000 {
            put_varint(&mut small, wire::TAG_LITERAL);
            put_varint(&mut small, 1);
            small.push(b'z');
        }
    }
    let mut dict = Vec::new();
    let mut de = Decoder::new(&small, 0, &mut dict);
    assert_eq!(Vec::<Vec<String>>::deserialize(&mut de).unwrap()[1].len(), 1000);
}

#[test]
fn a_record_with_an_overlong_list_is_refused_through_the_reader() {
    // A genuine record carrying more extension codes than any case has, packed by our own
    // encoder: the reader refuses it with the block and record named, and does not panic.
    let mut case = records().remove(0);
    let code = case.extensions.first().cloned().unwrap_or(crate::schema::ExtensionCode {
        list: "kz_family_map_category".into(),
        code: "C".into(),
    });
    case.extensions = vec![code; MAX_LIST_LEN + 1];
    let stream = pack(&[case]);
    let err = unpack(&stream).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("block 1, record 1") && text.contains("more than 10000"), "{text}");
    // A body of the bare bytes behind one more magic is refused the same way.
    let body = &stream[MAGIC.len()..];
    let mut pos = 0;
    let len = wire::get_varint(body, &mut pos).unwrap() as usize;
    let _count = wire::get_varint(body, &mut pos).unwrap();
    assert!(unpack(&one_record_stream(&body[pos..pos + len])).is_err());
}
