//! Round trips and tamper detection of sealed exports.

use ona_core::seal::*;
use ring::digest;
use std::io::{Read, Write};

fn ids() -> (Identity, Identity) {
    (Identity::from_seed_for_tests(b"centre"), Identity::from_seed_for_tests(b"hub"))
}

fn sealed(data: &[u8]) -> (Vec<u8>, Identity, Identity) {
    let (centre, hub) = ids();
    let m = Manifest::new(ContentType::Cases, 3);
    let s = seal(data, &m, &[hub.encryption_public()], &centre).unwrap();
    (s, centre, hub)
}

#[test]
fn round_trips_of_every_size_class() {
    let (centre, hub) = ids();
    let other = Identity::from_seed_for_tests(b"other");
    for len in
        [0, 1, 100, CHUNK_LEN - 1, CHUNK_LEN, CHUNK_LEN + 1, 3 * CHUNK_LEN, 3 * CHUNK_LEN - 64]
    {
        let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        let mut m = Manifest::new(ContentType::Cases, 3);
        m.pseudonym_domain = Some("kz".into());
        let s = seal(&data, &m, &[other.encryption_public(), hub.encryption_public()], &centre)
            .unwrap();
        let o = open(&s, &hub, Some(&centre.signing_public())).unwrap();
        assert_eq!(o.plaintext, data, "len {len}");
        m.sender = centre.signing_public().to_string();
        assert_eq!(o.manifest, m);
        let o2 = open(&s, &other, None).unwrap();
        assert_eq!(o2.plaintext, data);
    }
}

#[test]
fn wrong_key_and_wrong_sender_are_typed() {
    let (s, centre, _hub) = sealed(b"hello");
    let stranger = Identity::from_seed_for_tests(b"stranger");
    assert!(matches!(open(&s, &stranger, None), Err(OpenError::NoMatchingRecipient)));
    let (_, hub) = ids();
    let r = open(&s, &hub, Some(&stranger.signing_public()));
    assert!(matches!(r, Err(OpenError::UnexpectedSender { .. })), "{r:?}");
    assert!(open(&s, &hub, Some(&centre.signing_public())).is_ok());
}

#[test]
fn every_byte_flip_and_truncation_fails() {
    let (s, _centre, hub) = sealed(&vec![9u8; 2 * CHUNK_LEN + 10]);
    let small = sealed(b"tiny payload").0;
    for file in [&small, &s] {
        let step = if file.len() > 10_000 { 97 } else { 1 };
        for i in (0..file.len()).step_by(step) {
            let mut t = file.clone();
            t[i] ^= 0x01;
            assert!(open(&t, &hub, None).is_err(), "flip at {i}");
        }
        for cut in (0..file.len()).step_by(step) {
            assert!(open(&file[..cut], &hub, None).is_err(), "cut at {cut}");
        }
        let mut longer = file.clone();
        longer.push(0);
        assert!(open(&longer, &hub, None).is_err());
    }
    // Swap chunks 0 and 1.
    let h = inspect(&s).unwrap().header_len;
    let w = WIRE_CHUNK_LEN;
    let mut t = s.clone();
    t[h..h + w].copy_from_slice(&s[h + w..h + 2 * w]);
    t[h + w..h + 2 * w].copy_from_slice(&s[h..h + w]);
    assert!(matches!(open(&t, &hub, None), Err(OpenError::ChunkAuthentication(0))));
}

#[test]
fn dropping_a_sealer_without_finish_is_rejected() {
    let (centre, hub) = ids();
    let mut out = Vec::new();
    {
        let mut s = Sealer::new(
            &mut out,
            &Manifest::new(ContentType::Report, 0),
            &[hub.encryption_public()],
            &centre,
        )
        .unwrap();
        s.write_all(&vec![1u8; 3 * CHUNK_LEN]).unwrap();
    }
    assert!(open(&out, &hub, None).is_err());
}

struct Gen(u64, u64);
impl Read for Gen {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = (buf.len() as u64).min(self.1 - self.0) as usize;
        for (i, b) in buf[..k].iter_mut().enumerate() {
            *b = ((self.0 + i as u64) % 253) as u8;
        }
        self.0 += k as u64;
        Ok(k)
    }
}

/// 1 GiB streamed through a temporary file: compares SHA-256 of input and output.
#[test]
fn one_gib_round_trip_streams() {
    let (centre, hub) = ids();
    let total: u64 = 1 << 30;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ona");
    let mut in_hash = digest::Context::new(&digest::SHA256);
    {
        let f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let mut s = Sealer::new(
            f,
            &Manifest::new(ContentType::Cases, 0),
            &[hub.encryption_public()],
            &centre,
        )
        .unwrap();
        let mut g = Gen(0, total);
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let k = g.read(&mut buf).unwrap();
            if k == 0 {
                break;
            }
            in_hash.update(&buf[..k]);
            s.write_all(&buf[..k]).unwrap();
        }
        s.finish().unwrap();
    }
    let f = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    let mut o = Opener::new(f, &hub, Some(&centre.signing_public())).unwrap();
    let mut out_hash = digest::Context::new(&digest::SHA256);
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = o.read(&mut buf).unwrap();
        if k == 0 {
            break;
        }
        n += k as u64;
        out_hash.update(&buf[..k]);
    }
    assert_eq!(n, total);
    assert!(o.is_verified());
    assert_eq!(in_hash.finish().as_ref(), out_hash.finish().as_ref());
}
