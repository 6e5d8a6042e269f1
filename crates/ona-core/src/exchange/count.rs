//! How many records a content holds, as a manifest announces it.

use super::content_check::{read_line_capped, MAX_LINE_LEN};
use crate::seal::ContentType;

/// The record count of a manifest for `content` read from `reader`: for cases, the records of
/// the packed form (see [`super::packed`]) or else the lines that are not blank
/// (JSON Lines, not parsed); 1 for a report. Damaged packed data, or a line longer than
/// [`MAX_LINE_LEN`] (memory stays bounded whatever the input), is an `InvalidData` error.
pub fn count_records(
    content: ContentType,
    mut reader: impl std::io::BufRead,
) -> std::io::Result<u64> {
    use super::packed::{is_packed, PackedReader};
    if content == ContentType::Report {
        return Ok(1);
    }
    let mut n = 0;
    if is_packed(reader.fill_buf()?) {
        for case in PackedReader::new(reader)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?
        {
            case.map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
            n += 1;
        }
        return Ok(n);
    }
    let mut line = Vec::new();
    loop {
        match read_line_capped(&mut reader, &mut line, MAX_LINE_LEN)? {
            Ok(false) => return Ok(n),
            Err(_) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("line {} is longer than {MAX_LINE_LEN} bytes", n + 1),
                ))
            }
            Ok(true) => {}
        }
        if line.iter().any(|b| !b.is_ascii_whitespace()) {
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_non_blank_lines_of_cases_and_one_report() {
        let text = b"{}\n\n  \t\n{\"a\":1}\n{}";
        assert_eq!(count_records(ContentType::Cases, &text[..]).unwrap(), 3);
        assert_eq!(count_records(ContentType::Cases, &b""[..]).unwrap(), 0);
        assert_eq!(count_records(ContentType::Report, &text[..]).unwrap(), 1);
    }

    #[test]
    fn packed_records_are_counted_and_damage_is_invalid_data() {
        let mut w = super::super::packed::PackedWriter::new(Vec::new()).unwrap();
        use crate::pseudonym::{testing::sample_case, MasterKey, Policy, Pseudonymiser};
        let p = Pseudonymiser::new(&MasterKey::generate(), "kz/test", Policy::default()).unwrap();
        let case = p.pseudonymise(&sample_case()).unwrap();
        for _ in 0..3 {
            w.write(&case).unwrap();
        }
        let bytes = w.finish().unwrap();
        assert_eq!(count_records(ContentType::Cases, &bytes[..]).unwrap(), 3);
        let cut = &bytes[..bytes.len() - 5];
        let e = count_records(ContentType::Cases, cut).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
    }
}
