//! Short lists of names (an object's properties, a codelist's codes) searched many times per
//! record: each name is kept with a signature of its length and first and last eight bytes, so
//! a search compares integers and touches the text only to confirm a name longer than 16 bytes.

/// A name's length and first and last eight bytes (zero-padded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sig(usize, u64, u64);

impl Sig {
    #[inline]
    fn of(s: &str) -> Sig {
        let b = s.as_bytes();
        let n = b.len();
        match (b.first_chunk::<8>(), b.last_chunk::<8>()) {
            (Some(head), Some(tail)) => {
                Sig(n, u64::from_le_bytes(*head), u64::from_le_bytes(*tail))
            }
            _ => {
                let w = b.iter().rev().fold(0u64, |acc, &x| (acc << 8) | u64::from(x));
                Sig(n, w, w)
            }
        }
    }
}

/// Names with their signatures, in their original order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Names {
    sigs: Vec<Sig>,
    names: Vec<String>,
}

impl Names {
    /// The names, in order.
    pub(crate) fn new(names: Vec<String>) -> Names {
        Names { sigs: names.iter().map(|n| Sig::of(n)).collect(), names }
    }

    /// The position of `s` among the names.
    pub(crate) fn position(&self, s: &str) -> Option<usize> {
        let sig = Sig::of(s);
        (0..self.sigs.len()).find(|&i| self.sigs[i] == sig && (s.len() <= 16 || self.names[i] == s))
    }

    /// Whether `s` is one of the names.
    pub(crate) fn contains(&self, s: &str) -> bool {
        self.position(s).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::Names;

    #[test]
    fn finds_exactly_the_names_it_holds() {
        let list = [
            "",
            "a",
            "ab",
            "children",
            "consent_aggregate_reporting",
            "consent_aggregate_reportinh",
            "x1234567y1234567",
        ];
        let names = Names::new(list.iter().map(|s| s.to_string()).collect());
        for (i, s) in list.iter().enumerate() {
            assert_eq!(names.position(s), Some(i), "{s}");
        }
        for s in [
            "b",
            "abc",
            "childre",
            "consent_aggregate_reportinG",
            "x1234567z1234567",
            "consent_aggregate_rxporting",
        ] {
            assert_eq!(names.position(s), None, "{s}");
        }
    }
}
