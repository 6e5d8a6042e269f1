//! Sealing and opening payloads of many chunks (several 16-chunk batches).
//!
//! The sealed bytes are checked against a straight-line construction from the specification
//! (the digest computed here in one go, from `docs/seal-format.md` §6, not by the library's
//! chunk-by-chunk code) and pinned (digests of the format version 2 files, taken once they matched
//! that construction), so batching and threads change no byte, whatever the write pattern. Opening gives the plaintext back whatever the read pattern, and every kind
//! of damage is reported at the chunk where it is, after only the plaintext before it.

use ona_core::seal::*;
use ring::digest::{digest, SHA256};
use std::io::{BufRead, Read, Write};

fn ids() -> (Identity, Identity) {
    (Identity::from_seed_for_tests(b"batch centre"), Identity::from_seed_for_tests(b"batch hub"))
}

fn manifest() -> Manifest {
    let mut m = Manifest::new(ContentType::Cases, 7);
    m.export_id = "00112233445566778899aabbccddeeff".into();
    m.created_at = 1_767_225_600;
    m
}

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i.wrapping_mul(31) % 251) as u8).collect()
}

/// (content length, SHA-256 of the sealed file) for content lengths around 1..40 chunks, with
/// the final chunk empty, holding part of the signature, exactly the signature, or more.
const PINNED: &[(usize, &str)] = &[
    (0, "2262322a47ce878858c5013bd0207713ca734d31401b9e2ec3cf595485db62d0"),
    (1, "544a3e3ec605cb974455de4b520ea341c9dc6e24e64ec4880e30bf20acdbf749"),
    (1000, "a8e1d239208b5d17882fd4882eb1b753e16d7a1d2e5ca4e2970561886e5cf709"),
    (65208, "c7e55038acc5103d9369854e2a37a40e31c95bb21caefc90282c209078e94935"),
    (65238, "463686ede59c74c894506c29a7169a0b5b02d9b985167391659b2789455ee3cc"),
    (65272, "e72388e15eca8c9fe19d63d501be8a7b9faaa49492aed8ecd5289dd914c3915e"),
    (65273, "d413ff92e834574e657863113092839b80b0d97bbf70b5dd26043325eb84685c"),
    (70208, "65dad8ac5fe1797564a323e0a7b901c2ab1f43ebe3cc7447618338e4fcd90253"),
    (130744, "f104e2d51598d4907474f473b08c305c84d2ab20d370cdc5db36e2cb8a2e3671"),
    (130774, "3a66128f91de7ff21cc6cc87be0dbcd6f64f806a3c83e9ac2e0f871b4998d8eb"),
    (130808, "d9df779ae37e2023fbfafc9bc294b2a54a73660619fff2206aea42a418eac340"),
    (130809, "3fcdb29a32c34628f0c64c49788c1a2809fd7576d1b1f4db1916b2d6a2f55654"),
    (135744, "59ebeb96b6c76dfd9d61304b888794817523c8c2b22edeae14da51ff27c5c495"),
    (196280, "2e596477f9a99f043c6a0640e569c550189075717fc4ca23da9374b312e6753f"),
    (196310, "87cb183b6621b84c1e754e0099b0acbab64bfa12b8f6d41047ce342b1d6b1ecb"),
    (196344, "50659b755a652fda651facc964e614e6ed0bf1d0004faf9d20dafe0803b53401"),
    (196345, "b78afd37845d602228316c4a16a779902f6b06035d854441a77a541f5c7cfce6"),
    (201280, "1db1a0149f310ce7845860f40ba7bd43d098edd6a8925a4a7c336c453fc042a2"),
    (261816, "a4f1c5c8792a8032f865ffe5fdc8813a398aecd4f412f6a208e50c449bf78845"),
    (261846, "ea22762da89af46cc3a54757b18e6d3978184b6f5030d94f9901e35d985191d8"),
    (261880, "df6c8dd39f476f024032a36a87912bf0f273dfa3d865ec84836277bce80d50e2"),
    (261881, "5b9a21104ea8dc9d03798bf827987f14e0e979e61902ed3a369db498c76515c5"),
    (266816, "a335028a2a373a87caa7a08a6f62344dab154f3a8ce83581f56b7f5a082d3928"),
    (458424, "2d59586e750597e79575c6ae5a946e00739dcf769d8402b7a35a4e18350b324a"),
    (458454, "04a35fd4f8517a079d26ef3f9911b0cfa96eb766989d364ad35671bc9da10706"),
    (458488, "d601a602b5c139b3cc9bd66d777ff97ebc5254f0d213ee20abfaa32656d101b7"),
    (458489, "315ec77757c93a30094e2497ebcae615f14cf18fb3705965aa19dddaa48cf409"),
    (463424, "fb36c89a7bc0dcae01c9dc7a75fdb32c4274e18fb76e380f86089224031e0e9a"),
    (523960, "1d4efd49d22a05635c5ae03d8ebd0d19498516e97ccf61df7c1d859b4e329fc9"),
    (523990, "ab6549d21b405c1372f5d80d73db8cb48ef020548fe5f76d4d57bff65aa26905"),
    (524024, "d5179eed3b5c1e026f5603b0e5935f28d05bd9861d313333b1bdb779cbef0122"),
    (524025, "b8978785427161ba9bfc523cb8ab305ef15fc436be11383ecc6a3a4905e574ae"),
    (528960, "219b6b2278648d0777de24aa820d6217b2212feccbb12f4df78725a46f28f58f"),
    (589496, "b92ea3d051f26a950cc140c557d08a1647ea816ff1ca827538949d3b126eef5f"),
    (589526, "8f858c9b2152abc71b8118fb3e829a33c2a0a0eed272fcdf1c612aee75470e72"),
    (589560, "589e95c9005b515d6cbc77992544bfd829763b60f3891bb3f19aa762051d5411"),
    (589561, "e94efc80a5d7ae6896766c6427d29cc29cd0410183f9ed216c938121f8be205a"),
    (594496, "e1eef9733a2a4b3bd1c5e71b80f50fc657205d5b1ba07f416f3720b0a8a37ec5"),
    (982712, "b556fd95885b40a240813d81ddd74ec753c399f1e861bf26636ace30742a8610"),
    (982742, "6a7fc86ab903c5dae928b4206006d0dcd089d1c591da00e8f3397a9db9723b67"),
    (982776, "c70e4af5a9bfda32594469864713979061026c0afd67ce38868420ac4f937dd1"),
    (982777, "2092f3cc71852f592e58a0a21a030d69e8dfbdbaa15bd6ed6ed825c15bcf2fe5"),
    (987712, "0af7d80aaaedfad5185bcf2b53dca535a1cf376c1e55b2ea5fc68a68412068ae"),
    (1048248, "e6a1d6af71f74cb7f2d088066c201931ce7b483acdada6a394fda0da6285d060"),
    (1048278, "fe3ef1666fa77f09a5db43604960377269f916eecde4126dbb7c73ea5297444d"),
    (1048312, "3db63b679969c69e29604051572fdf0ed2463040cfe76fd5abc3a744db5f483b"),
    (1048313, "6aef2be3c90804ee504de640981066fc8b265731208167c14bcc3c7bb40b2cf2"),
    (1053248, "8336b83130f8035350fd1281e77ca08ad9d758f13fbad7b4bce6f37019a56169"),
    (1113784, "7587a33b12fda04d1421c915616f9c00e639310f087d1efbb03498f08bbed759"),
    (1113814, "f77ce692efdc5b1be42eddb828776d8c67e943fcfce3463ef9170bec8681b4d4"),
    (1113848, "cffaabeb71ceecb4ddc3212404dd32b3e67e7d8187d9b98702d998271d28a639"),
    (1113849, "7088ba1eeb0f2461dedf31f1a6983bba043acbb1e962db9d4ebe7362aaba7fda"),
    (1118784, "fafc0081c4229a73ca1464458ef8d0b97693e0de4aec0052c2e57e98d79880e9"),
    (2031288, "e320088f49e9a47e4b5706705da11e305a35397f9a2c0def1007d6129e24b95c"),
    (2031318, "561641262592ab96d871c92adf1e025a20e11e987ce12083975bfe5814ed84d8"),
    (2031352, "379fd17bc4e72de347421e7f00cb9c62a6ac9d2749298ffa167805a091781eb0"),
    (2031353, "3ac9351d8d239d8f90fbfb8e88c489dea5b02298f62aeb283dad1638bf5d36ce"),
    (2036288, "3da22b1745e27ba1c01d5223872648df1a615b978f3d33a95394d7eb0b9e1c9a"),
    (2096824, "f0962b9b253b3185a75f77a8626f0cc4a468e27fb8e452c848e63f34b77ec7c3"),
    (2096854, "0c169714170ca33e1b1f640c456bda24a7520702cdb5a8696f3341baa0860f1b"),
    (2096888, "682b0725dcf38e8b60644b14c0ab8d2285375d6f4e2de51e1643d320c2ff8a94"),
    (2096889, "7b27bd9efe3392e3dbb66bda636dd79e270a4ba7323f4f53abd27d2e519d93de"),
    (2101824, "3f9369af069c7e7b031281cfbda36cae0f5b5b7f0420cce8277fee17f3625831"),
    (2162360, "f26b98d17d85e845b7887124b2f85c273c3e9b50998819f511bd2f4cd19ddfb8"),
    (2162390, "7a789b9154aa0c17c9445bbb8226b8725fd825b296d1226871d12f666fc03b57"),
    (2162424, "25d34df96d87556afafffdd21bf7e4584162a56ffae0cac56df280d457c60cf9"),
    (2162425, "71c858d6c08c432b5f2a0198d86d5ad3b3f6feb6a00447c952cba29e472148bc"),
    (2167360, "8692857d99469ff39a99aa11b6647690ee42e66b631898ea884b0f58946df2c8"),
    (2621112, "9d8feeec8c6d7b5cffe35dc87e6b6495601e3453060cfcd069c12b132ef6c28d"),
    (2621142, "c630c46a7b0ef52c209327cde46f930c3428ec8293071be9de82757443e7e0dd"),
    (2621176, "652a26e08a1c11d2e6ea59ca5a272c7b7d2d79ddc3012f5fa840a8c93bcc4ba6"),
    (2621177, "ae5806562218019937a0733e67ca86d6e97ab16f638c26727af46974d118cae5"),
    (2626112, "f0664fc026562f79c1f10e41aea9cee505d73eff9f17fd375d3368dcc3ed1cec"),
];

fn seed(len: usize) -> String {
    format!("batches {len}")
}

fn sealed(len: usize) -> Vec<u8> {
    let (centre, hub) = ids();
    let s = seed(len);
    seal_deterministic_for_tests(
        &data(len),
        &manifest(),
        &[hub.encryption_public()],
        &centre,
        s.as_bytes(),
    )
    .unwrap()
}

fn sha(b: &[u8]) -> String {
    hex::encode(digest(&SHA256, b))
}

fn sha_parts(parts: &[&[u8]]) -> [u8; 32] {
    let mut c = ring::digest::Context::new(&SHA256);
    for p in parts {
        c.update(p);
    }
    c.finish().as_ref().try_into().unwrap()
}

/// The signed digest of `content` (manifest frame ‖ content), format version 2, as the
/// specification states it: a leaf per 65 536-byte piece, then a hash of the leaves and length.
fn spec_digest(content: &[u8]) -> [u8; 32] {
    let leaves: Vec<[u8; 32]> = content
        .chunks(65_536)
        .enumerate()
        .map(|(i, p)| sha_parts(&[b"ona/seal/v2/piece\0", &(i as u64).to_be_bytes(), p]))
        .collect();
    let mut parts: Vec<&[u8]> = vec![b"ona/seal/v2/content\0"];
    parts.extend(leaves.iter().map(|l| &l[..]));
    let len = (content.len() as u64).to_be_bytes();
    parts.push(&len);
    sha_parts(&parts)
}

/// The manifest frame as the sealer writes it (sender filled in).
fn frame() -> Vec<u8> {
    let mut m = manifest();
    m.sender = ids().0.signing_public().to_string();
    m.encode().unwrap()
}

/// A file of format `version` (1 or 2) built in one piece: same seed as `sealed(len)` (so the
/// same header), payload stream = manifest frame ‖ content ‖ Ed25519 signature over the
/// transcript, with the digest computed here in one go.
fn sealed_by_the_spec(version: u8, len: usize) -> Vec<u8> {
    let (centre, hub) = ids();
    let mut stream = frame();
    stream.extend_from_slice(&data(len));
    let r = [hub.encryption_public()];
    seal_raw_stream_of_version_for_tests(version, &r, &centre, seed(len).as_bytes(), |h| {
        assert_eq!(h[8], version);
        let (label, digest): (&[u8], [u8; 32]) = match version {
            1 => (b"ona/seal/v1/transcript\0", sha_parts(&[&stream])),
            _ => (b"ona/seal/v2/transcript\0", spec_digest(&stream)),
        };
        let mut transcript = label.to_vec();
        transcript.extend_from_slice(h);
        transcript.extend_from_slice(&digest);
        let mut t = stream.clone();
        t.extend_from_slice(&centre.sign_for_tests(&transcript));
        t
    })
    .unwrap()
}

/// A reader that hands out at most `step` bytes per call.
struct Trickle<'a>(&'a [u8], usize);
impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = buf.len().min(self.1).min(self.0.len());
        buf[..k].copy_from_slice(&self.0[..k]);
        self.0 = &self.0[k..];
        Ok(k)
    }
}

#[test]
fn sealing_is_byte_for_byte_the_straight_line_construction_of_the_spec() {
    for &(len, _) in PINNED {
        assert!(sealed(len) == sealed_by_the_spec(2, len), "{len} bytes differ from the spec");
    }
}

/// Files whose payload is a whole number of batches plus a final chunk of `f` bytes: for
/// `f` < 64 the signature starts in the last chunk of the batch before, which the reader only
/// learns from the next batch. Both versions, read in one go and a little at a time.
#[test]
fn a_signature_split_across_batches_is_found_and_verified() {
    let (centre, hub) = ids();
    let frame_len = frame().len();
    for batches in [1usize, 2] {
        for f in [0usize, 1, 30, 63, 64, 65, 100] {
            let stream_len = batches * 16 * 65_536 + f;
            let len = stream_len - 64 - frame_len;
            let want = data(len);
            for version in [1u8, 2] {
                let file = sealed_by_the_spec(version, len);
                if version == 2 {
                    assert!(file == sealed(len), "{len} bytes: the sealer differs from the spec");
                }
                let opened = open(&file, &hub, Some(&centre.signing_public()))
                    .unwrap_or_else(|e| panic!("v{version}, {batches} batches + {f}: {e}"));
                assert!(opened.plaintext == want, "v{version}, {batches} batches + {f}");
                let mut o = Opener::new(Trickle(&file, 1000), &hub, None).unwrap();
                let mut got = Vec::new();
                o.read_to_end(&mut got).unwrap();
                assert!(got == want && o.is_verified(), "v{version} read in pieces");
                // One bit of the content's last byte flipped before sealing: signature fails.
                let mut stream = frame();
                stream.extend_from_slice(&want);
                let mut bad = stream.clone();
                *bad.last_mut().unwrap() ^= 1;
                let forged = seal_raw_stream_of_version_for_tests(
                    version,
                    &[hub.encryption_public()],
                    &centre,
                    b"forged",
                    |h| {
                        let d = content_digest_for_tests(version, &stream);
                        let sig = centre.sign_for_tests(&transcript_for_tests(h, &d));
                        [bad.clone(), sig].concat()
                    },
                )
                .unwrap();
                let e = open(&forged, &hub, None).unwrap_err();
                assert_eq!(e.kind(), "bad_signature", "v{version}, {batches} batches + {f}");
            }
        }
    }
}

#[test]
fn sealing_is_byte_for_byte_the_pinned_output() {
    for &(len, want) in PINNED {
        assert_eq!(sha(&sealed(len)), want, "one-shot seal of {len} bytes");
    }
}

#[test]
fn sealing_in_pieces_and_from_a_reader_gives_the_same_bytes() {
    let (centre, hub) = ids();
    let r = [hub.encryption_public()];
    for &(len, want) in PINNED.iter().step_by(3) {
        let d = data(len);
        let s = seed(len);
        for step in [1usize, 7_777, 65_536, 65_537, 1 << 20] {
            if step == 1 && len > 300_000 {
                continue;
            }
            let mut w =
                Sealer::deterministic_for_tests(Vec::new(), &manifest(), &r, &centre, s.as_bytes())
                    .unwrap();
            for piece in d.chunks(step) {
                w.write_all(piece).unwrap();
            }
            assert_eq!(sha(&w.finish().unwrap()), want, "{len} bytes written {step} at a time");
        }
        for step in [1000usize, 65_536, 100_003] {
            let mut w =
                Sealer::deterministic_for_tests(Vec::new(), &manifest(), &r, &centre, s.as_bytes())
                    .unwrap();
            // Part written, part read: both paths fill the same chunks.
            let half = len / 3;
            w.write_all(&d[..half]).unwrap();
            assert_eq!(w.write_from(&mut Trickle(&d[half..], step)).unwrap(), (len - half) as u64);
            w.flush().unwrap();
            assert_eq!(sha(&w.finish().unwrap()), want, "{len} bytes read {step} at a time");
        }
    }
}

#[test]
fn opening_gives_the_plaintext_back_whatever_the_read_pattern() {
    let (centre, hub) = ids();
    for &(len, _) in PINNED.iter().step_by(2) {
        let s = sealed(len);
        let d = data(len);
        assert_eq!(open(&s, &hub, Some(&centre.signing_public())).unwrap().plaintext, d);
        for (feed, read) in [(1000usize, 65_536usize), (1 << 22, 1), (70_001, 4096)] {
            if read == 1 && len > 200_000 {
                continue;
            }
            let mut o = Opener::new(Trickle(&s, feed), &hub, None).unwrap();
            let mut out = Vec::new();
            let mut buf = vec![0u8; read];
            loop {
                let k = o.read(&mut buf).unwrap();
                if k == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..k]);
            }
            assert!(o.is_verified());
            assert!(out == d, "{len} bytes fed {feed}, read {read} at a time");
        }
        let mut o = Opener::new(&s[..], &hub, None).unwrap();
        let mut out = Vec::new();
        loop {
            let b = o.fill_buf().unwrap();
            if b.is_empty() {
                break;
            }
            out.extend_from_slice(b);
            let n = b.len();
            o.consume(n);
        }
        assert!(out == d && o.is_verified(), "{len} bytes through BufRead");
    }
}

/// Opens with a reader and returns the outcome and how much plaintext was released before it.
fn open_counting(file: &[u8], hub: &Identity) -> (Result<(), OpenError>, usize) {
    let mut o = match Opener::new(file, hub, None) {
        Ok(o) => o,
        Err(e) => return (Err(e), 0),
    };
    let mut n = 0;
    let mut buf = vec![0u8; 10_000];
    loop {
        match o.read(&mut buf) {
            Ok(0) => return (Ok(()), n),
            Ok(k) => n += k,
            Err(e) => return (Err(OpenError::from_io(e)), n),
        }
    }
}

#[test]
fn damage_is_reported_at_its_chunk_after_only_the_plaintext_before_it() {
    let (centre, hub) = ids();
    // 40 chunks of content plus a short final chunk: three batches.
    let len = 40 * CHUNK_LEN + 5_000;
    let s = sealed(len);
    let mut m = manifest();
    m.sender = centre.signing_public().to_string();
    let frame = m.encode().unwrap().len();
    let h = inspect(&s).unwrap().header_len;
    let w = WIRE_CHUNK_LEN;
    let chunks = (s.len() - h).div_ceil(w);
    assert_eq!(chunks, 41);
    let at = |i: usize| h + i * w;
    let chunk_auth = |r: &Result<(), OpenError>, i: usize| matches!(r, Err(OpenError::ChunkAuthentication(j)) if *j == i as u64);
    // Plaintext of chunks 0..i, minus the manifest frame and the 64 bytes held back.
    let before = |i: usize| (i * CHUNK_LEN).saturating_sub(frame + SIGNATURE_LEN);

    for i in 0..chunks {
        for off in [0usize, 1_000, w - 1] {
            let p = at(i) + off;
            if p >= s.len() {
                continue;
            }
            let mut t = s.clone();
            t[p] ^= 0x20;
            let (r, released) = open_counting(&t, &hub);
            assert!(chunk_auth(&r, i), "flip in chunk {i} at {off}: {r:?}");
            assert!(released <= before(i), "flip in chunk {i}: {released} bytes released");
        }
    }
    for i in 1..chunks {
        let (r, released) = open_counting(&s[..at(i)], &hub);
        assert!(matches!(r, Err(OpenError::Truncated)), "cut before chunk {i}: {r:?}");
        assert!(released <= before(i));
        let (r, _) = open_counting(&s[..at(i) + 5], &hub);
        assert!(matches!(r, Err(OpenError::Truncated)), "cut 5 bytes into chunk {i}: {r:?}");
        let (r, _) = open_counting(&s[..at(i) + 100], &hub);
        assert!(chunk_auth(&r, i), "cut 100 bytes into chunk {i}: {r:?}");
        let (r, _) = open_counting(&s[..at(i) - 1], &hub);
        assert!(chunk_auth(&r, i - 1), "cut 1 byte before chunk {i}: {r:?}");
    }
    let mut longer = s.clone();
    longer.push(0);
    assert!(chunk_auth(&open_counting(&longer, &hub).0, chunks - 1));
    for i in [0, 14, 15, 16, 31, 38] {
        let mut t = s.clone();
        t[at(i)..at(i + 2)]
            .copy_from_slice(&[&s[at(i + 1)..at(i + 2)], &s[at(i)..at(i + 1)]].concat());
        assert!(chunk_auth(&open_counting(&t, &hub).0, i), "swap {i} and {}", i + 1);
        let dup = [&s[..at(i + 1)], &s[at(i)..]].concat();
        assert!(chunk_auth(&open_counting(&dup, &hub).0, i + 1), "chunk {i} repeated");
        let gone = [&s[..at(i)], &s[at(i + 1)..]].concat();
        assert!(chunk_auth(&open_counting(&gone, &hub).0, i), "chunk {i} removed");
    }
    // The untouched file opens in full.
    let (r, released) = open_counting(&s, &hub);
    assert!(r.is_ok() && released == len);
}

/// A reader that fails after `ok` bytes.
struct Failing<'a>(&'a [u8], usize);
impl Read for Failing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.1 == 0 {
            return Err(std::io::Error::other("disk gone"));
        }
        let k = buf.len().min(self.1).min(self.0.len());
        buf[..k].copy_from_slice(&self.0[..k]);
        self.0 = &self.0[k..];
        self.1 -= k;
        Ok(k)
    }
}

#[test]
fn read_failures_come_after_the_plaintext_read_before_them() {
    let (_, hub) = ids();
    let s = sealed(40 * CHUNK_LEN);
    let cut = s.len() / 2;
    let mut o = Opener::new(Failing(&s, cut), &hub, None).unwrap();
    let mut n = 0;
    let mut buf = vec![0u8; 65_536];
    let err = loop {
        match o.read(&mut buf) {
            Ok(0) => panic!("a failed read must not look like the end"),
            Ok(k) => n += k,
            Err(e) => break e,
        }
    };
    assert!(matches!(OpenError::from_io(err), OpenError::Io(_)));
    assert!(n > 0 && n < cut);
    assert!(o.read(&mut buf).is_err(), "the failure sticks");
}

struct Broken(usize);
impl Write for Broken {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0 < buf.len() {
            return Err(std::io::Error::other("full"));
        }
        self.0 -= buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_failed_write_breaks_the_sealer_for_good() {
    let (centre, hub) = ids();
    let mut s =
        Sealer::new(Broken(3 << 20), &manifest(), &[hub.encryption_public()], &centre).unwrap();
    let block = vec![7u8; 1 << 20];
    let mut failed = false;
    for _ in 0..20 {
        if s.write_all(&block).is_err() {
            failed = true;
            break;
        }
    }
    assert!(failed || s.flush().is_err());
    assert!(s.write_all(b"more").is_err());
    assert!(s.finish().is_err());
}

#[test]
fn sealers_and_openers_can_move_between_threads() {
    fn send<T: Send>() {}
    send::<Sealer<std::fs::File>>();
    send::<Opener<std::fs::File>>();
}
