//! Sealing and opening payloads of many chunks (several 16-chunk batches).
//!
//! The sealed bytes are pinned: the digests below were produced by the chunk-at-a-time
//! implementation that also wrote the test kit, so batching and threads change no byte, whatever
//! the write pattern. Opening gives the plaintext back whatever the read pattern, and every kind
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
    (0, "e15236d4cae85bd43755d2033d8637bb3df92a177cc56cc2335781e206e25a95"),
    (1, "0eb93210a63bf8cc9c9e4ef89a0f188fca571cfdc4b410cd5448bf7c33ed95e1"),
    (1000, "4f6764daa1b6316ffb43fd90f2e5ec7443eae27a5e558fd95c5c4c0788432ac6"),
    (65208, "240ea84c4456ad5d6bc630af88e81cf69758279e38a217919ab1629ae29b28ff"),
    (65238, "2064cfda23d0e7a1b18748b1172cd4ae2e0bcafee88fadbe4eee2d052fd7fcdf"),
    (65272, "e73ebae53925e978b128aea4f5c8e56671bf83d9b00e791ec956050e30960b06"),
    (65273, "a3f62de76152c1aa538340a548c22e7f923aaa2d92a104d69dc2fefa05136b74"),
    (70208, "45cb51c33ac870ca55cd0203478524005858a16f6b720661962d958cf9fab7cf"),
    (130744, "12c268baac75dfd1ce567c6b4db2d042aeab3455c37be71fe87a6cbddf3f797f"),
    (130774, "0180dc2ef3616d053c961ae5ea76987c44187881001a68daa50424fe752c2acf"),
    (130808, "4220a8da72d858a94e6afc550285d889a54d8d41e99c34372a29d27b004781c9"),
    (130809, "5c01b6b842688886d02853261f2a6dd924b82f1f33f247aba13ac1874be21b8a"),
    (135744, "06a498b16bd0753ace6409aa6cdc319e91813f8ee3da0a2ebda9e9ce30c135a9"),
    (196280, "3181c6f595a741ecac537b436cf1be4aa08fc748f45898582b77e849ca6257d7"),
    (196310, "3f193a3095d21b3d7e03407957a7be014f3e4849965e4421d4e2348680470b6a"),
    (196344, "af608714f76ae044c7338263c8b4c250fb00e1175f605529723a4cf8874c794a"),
    (196345, "6371b12415b8f7cb37e257e8a09099177603e61f57238b672792d935dd378821"),
    (201280, "f22ffd722b931a539a02c0102ebf5b5f076a6fd1d00d62adb32e94d26ea47bdd"),
    (261816, "e57a861af3e54fd533676af054aaeaa032c3723762043dc99ba25088298b439d"),
    (261846, "4908c4d4c36c363e00e5b27b8237ba14da7b01d62e247df4ff101d5ed32f67a8"),
    (261880, "e094ef2c121f1dc4bdd5899d94c988715d8d13b12b7ff3947046917e8baa28b4"),
    (261881, "4908d46d04d9a24df9a95ab240b4c260cbafe2bea3027f1eef8422f9767ac287"),
    (266816, "75dcd0a0e8b94c0ea7bf53a0a1d098a59922b5f031dce8f65ee566a0d22774b0"),
    (458424, "49985ce66606d721f4aabe26fec750b93acf62f57b84907c90f720c36f458c87"),
    (458454, "755ebaa29ee90bcfcba9715b01348d11a417d502ee09260d484b669e65644440"),
    (458488, "b2eb9f3ccba37f913694567c3d296d17ce2a50f7387d21c1f5d9d4fdad419abf"),
    (458489, "e5bddc6db5568f77a4e78d506d66aac86757e49f5de8f2cae2c54fdf6a239f17"),
    (463424, "24b1a344db42729876db24ad92921d148e3c5e64f8167fd6b143c32b8193bb65"),
    (523960, "e2575eb4532139abf6f582372023699fd535c952a20314aebabdbffe3f8b8373"),
    (523990, "11ca8f73d03b336c8ed4ed67a349229951781fba8e3cd14293e46ce2c165222c"),
    (524024, "6ebf814c43996a7620d31cab717c532b9e3b6f85e0a7b243452c45f289fadec7"),
    (524025, "5292bd670d61767d8a2f5001ca8ee37a98c4b9c6d12e1fd1a833e687b35016e4"),
    (528960, "6495b9f481a47073e84a13743ca9d4ae7d3dadcf7afe84cbcfedd8ea1df94d91"),
    (589496, "c6da430cc279e7c33e2c041c0a319af0cb2d4f85522b423f6a7de94a45468dca"),
    (589526, "0ee74b0802c92476b572a7238dc094251c92d29938e77d7da4213d4519effcf0"),
    (589560, "e965d5cd38d97103a913293be25ffa15ed49f070559a560a8a2eca73309183e6"),
    (589561, "ea6d89df5f5d9643ca04641505be9f123c073b6673c36d362f1a9bc89286fb8e"),
    (594496, "d2f48133dd10d30ae117ade8c35e01738dc10ae2811eeee19310702017a4f6cc"),
    (982712, "44012bcc52f93477cc2e188f7d05ddc7cc770468ea234a51d8a5f9dd4a399bd9"),
    (982742, "3dfa564e64dcb704011e0d07e7d506742c8cb7d452b79369b967ed3f2448ac11"),
    (982776, "e2c56a803250a716bef1c6010f6e3f9f212509d9d2b666160d1962234659c53c"),
    (982777, "99e40b85cf99a21bc4ea3193b08fa1ec382434755679617dc869c2a32c311d13"),
    (987712, "3c40217e9d54d797986b97658724c68e512cdd4f11263b6bc0a09c9aece79071"),
    (1048248, "860256aea9df2a33ae0f3c6eccca636f2222f06adaadc5704b268460d4231906"),
    (1048278, "c588792856ae94e758398cdefbd3d753c2c1516bb7469b0fa46395337abdfc2a"),
    (1048312, "24e80a38d5929c76cb0ceccf5821e71fc938d55f177870c5861da6ec6124ef01"),
    (1048313, "dded104ab2447f789caf50ca1c9b9b85fb6b377e3df4a1bf3b35f2c59969f488"),
    (1053248, "e7b34e18019f419d9aa7032a1b3505256826ee0d4a0b6983e4cc3e01d827d39b"),
    (1113784, "753dad8c69457e680da64f05da45ca0cdb4a362e29c0267ccb0affc4ff731521"),
    (1113814, "29d2956d0da710aff4b6b4ee498339a3e94c61d0c8841fdcd1bc7d4db2e1f621"),
    (1113848, "900e3bf75e932cba6614c92bec531d29cac4870937a0f28791d59d52bbd8dd4d"),
    (1113849, "00198bdcef2a48177689bc4d1386639621b760858576ad63c7d57fa79c53608f"),
    (1118784, "10e4037bd7b612197149c772e43146b44d0b0303c245f1ea9f1a358242cf3222"),
    (2031288, "d9b8759f8a7d1433e10f3f9855c345141b47219d13244d6354c765b7184faebc"),
    (2031318, "43b6ec690593dd49fea0d699c1aba4f5d77ad9d35c9480edfcc76137c05d3f2b"),
    (2031352, "e4f023a6007a174b42dbb0d96d60891da083e88efad497ffec0ef82dd5e98145"),
    (2031353, "f8a417286a205474dae2e4c69b75705db7f4dffcbcab13bd2747b1327b181a3e"),
    (2036288, "b69df010fce5ad2b45181ea06fb674981533541d58f7f2bec39bc4e011087e5d"),
    (2096824, "ffb5d21ed2a6b28daf4c182d0bdbef329d216c9e90fac68d3dd02ad34bc7d46f"),
    (2096854, "172001b7abe3a5ed063ffe4800de4b7420acbce44b8283269333205a0e270b9f"),
    (2096888, "d96e555c04518af9aa1a9636225f0eacdab157d73e1b04bf015a63e631d6ce77"),
    (2096889, "c30d40cf08740932fc76bd3e1d9555b41859547c1fff5b363ec411c06b341338"),
    (2101824, "17408902d42912557cea9dea31f9b691a436cb7aebfc3634600d54b4d4548b14"),
    (2162360, "809e47dede99eafe13c943721ed92d4e969bf6246379a722a8d8288b54058058"),
    (2162390, "a2bf56ca2a2e1caba5043ae1aad6c4775cc2f3ba02e8ce70b62cfea64c20773c"),
    (2162424, "4be43228f8777d1035c8fa17d58ea534a9a7733ade19d4e4e38b6f5e5e6874f5"),
    (2162425, "a59b1b0be7c57c02e08e9122e472c874b23ffdf947bf81d615b316dc24287a0b"),
    (2167360, "2e1a49be87e2e463b51b4e966fbb45f136851dd59808fd91224310c2c83014cf"),
    (2621112, "f5e87795107f581d940c7092d91251cd8281058907c847fa614bc783909a7db0"),
    (2621142, "c34766cf0f15fa173aa9120e493915b3d26fce52f49df1bf341eeef6be45ddf3"),
    (2621176, "460a22c0532893772f83969d1bc25313117d0e76212ae294b3ac97e167148dc2"),
    (2621177, "c2a0ff3ddcdc22972aca63219dd92b8cdb84bad22d3022e104b81a3e620fee59"),
    (2626112, "b22cbfeb2d713b4d7a7c081b075c0417482586c66e25b2328450cd617519a49e"),
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
