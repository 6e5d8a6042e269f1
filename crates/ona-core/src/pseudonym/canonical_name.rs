//! The canonical form of a name (steps in `canonical.rs`), computed in one pass per step into
//! buffers a thread keeps between calls: no allocation per name or per token. It runs once per
//! value of a column of names, where a few microseconds per name were the whole cost.
//!
//! It must give byte-for-byte the forms of the first, step-by-step implementation (kept in
//! `canonical_reference.rs` for the tests that prove it): a pseudonym is the MAC of the form.
//!
//! Where the short cuts come from: NFKC leaves a text alone when Unicode's quick check says
//! `Yes`, so the NFKC iterator is skipped then; lower-casing, the Cyrillic table and the final
//! "NFD, drop combining marks" all work one character at a time (every character with a non-zero
//! combining class is itself a combining mark, so NFD's reordering only moves characters that
//! are dropped anyway — a test checks this over all of Unicode).

use super::canonical::{cyrillic, PARTICLES, PATRONYMIC_ENDINGS, PATRONYMIC_WORDS};
use super::placeholder::is_placeholder;
use std::cell::RefCell;
use std::sync::OnceLock;
use unicode_normalization::char::{
    canonical_combining_class, decompose_canonical, is_combining_mark,
};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Whether a token is shaped like a one-word patronymic: a known ending after a stem of at least
/// three letters (so `Ivna` or `Uly` alone are not).
pub(super) fn patronymic_shaped(token: &str) -> bool {
    PATRONYMIC_ENDINGS.iter().any(|e| token.len() >= e.len() + 3 && token.ends_with(e))
}

/// Whether `token` is in `words` (short words): a longer token is not looked for, so the
/// names' usual long tokens cost one comparison.
fn is_one_of(words: &[&str], token: &str) -> bool {
    token.len() <= SHORT_WORD && words.contains(&token)
}

/// The longest particle or patronymic word, in bytes (a test checks it).
pub(super) const SHORT_WORD: usize = 5;

/// Steps 1–3 into `out` (cleared first): lower-case Latin letters and digits; other characters
/// stay and act as separators.
pub(super) fn latin_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        // ASCII is its own NFKC and NFD, without marks or Cyrillic.
        out.extend(
            text.bytes()
                .filter(|b| !matches!(b, b'\'' | b'`'))
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        return;
    }
    // Latin, Greek and Cyrillic text: one table lookup per character (see `CharTable`).
    let table = char_table();
    for c in text.chars() {
        match table.latin(c) {
            Some(t) => out.push_str(t),
            None => {
                out.clear();
                return latin_full(text, out);
            }
        }
    }
}

/// [`latin_into`] the long way, for text with a character outside [`CharTable`].
fn latin_full(text: &str, out: &mut String) {
    if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        text.chars().for_each(|c| push_latin(c, out));
    } else {
        text.nfkc().for_each(|c| push_latin(c, out));
    }
}

/// Whether Unicode's NFKC quick check says `Yes` for `text` (then `text` is its own NFKC),
/// with one table lookup per Latin, Greek or Cyrillic character.
pub(super) fn nfkc_quick_yes(text: &str) -> bool {
    let table = char_table();
    text.chars().all(|c| table.latin(c).is_some())
        || is_nfkc_quick(text.chars()) == IsNormalized::Yes
}

/// Characters below this are in [`CharTable`]: Basic Latin and Latin-1, Latin Extended-A and
/// -B, IPA, spacing modifiers, combining diacritics, Greek, Cyrillic and its supplement — the
/// scripts of nearly every name of the network.
const TABLE_END: u32 = 0x530;

/// What [`push_latin`] writes for each character below [`TABLE_END`], computed once from
/// `push_latin` itself (so the table cannot disagree with it), for the characters that NFKC's
/// quick check passes alone and in any sequence: `Yes`, with combining class 0. A text made of
/// such characters only is its own NFKC, and its steps 1–3 are the concatenation of their
/// entries. Any other character sends the whole text the long way.
struct CharTable {
    /// The entries, one after another.
    text: String,
    /// Per character: where its entry is in `text`, or `None` (the long way).
    spans: Vec<Option<(u16, u16)>>,
}

impl CharTable {
    fn new() -> CharTable {
        let mut table = CharTable { text: String::new(), spans: Vec::new() };
        for c in (0..TABLE_END).filter_map(char::from_u32) {
            let one = [c];
            let simple = is_nfkc_quick(one.iter().copied()) == IsNormalized::Yes
                && canonical_combining_class(c) == 0;
            let start = table.text.len();
            if simple {
                push_latin(c, &mut table.text);
            }
            let span = (u16::try_from(start).ok(), u16::try_from(table.text.len()).ok());
            table.spans.push(match span {
                (Some(a), Some(b)) if simple => Some((a, b)),
                _ => None,
            });
        }
        table
    }

    /// The entry of `c`; `None` when `c` needs the long way.
    #[inline]
    fn latin(&self, c: char) -> Option<&str> {
        let (a, b) = (*self.spans.get(c as usize)?)?;
        self.text.get(usize::from(a)..usize::from(b))
    }
}

fn char_table() -> &'static CharTable {
    static TABLE: OnceLock<CharTable> = OnceLock::new();
    TABLE.get_or_init(CharTable::new)
}

/// One character of NFKC text, lower-cased, transliterated, decomposed and without marks.
fn push_latin(c: char, out: &mut String) {
    let c = match c {
        'İ' | 'I' | 'ı' => 'i',
        _ => c,
    };
    for l in c.to_lowercase() {
        if l.is_ascii() {
            if !matches!(l, '\'' | '`') {
                out.push(l);
            }
        } else if let Some(t) = cyrillic(l) {
            out.push_str(t);
        } else if matches!(l, 'ʻ' | 'ʼ' | '’' | '‘' | 'ʹ') {
            // Uzbek oʻ, gʻ and apostrophes inside names: not a separator.
        } else if l == 'ə' {
            out.push('a');
        } else {
            decompose_canonical(l, |d| {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            });
        }
    }
}

/// Replaces every `from` in `t` by the shorter-or-equal `to`, left to right without overlaps
/// (as `str::replace` does), in place.
fn replace_in_place(t: &mut Vec<u8>, from: &[u8], to: &[u8]) {
    let (mut read, mut write) = (0, 0);
    while read < t.len() {
        if t[read..].starts_with(from) {
            t[write..write + to.len()].copy_from_slice(to);
            write += to.len();
            read += from.len();
        } else {
            t[write] = t[read];
            write += 1;
            read += 1;
        }
    }
    t.truncate(write);
}

/// Collapses runs of the same letter (`ss→s`, `ii→i`), in place.
fn collapse_in_place(t: &mut Vec<u8>) {
    let mut write = 0;
    for read in 0..t.len() {
        if write == 0 || t[write - 1] != t[read] {
            t[write] = t[read];
            write += 1;
        }
    }
    t.truncate(write);
}

/// Step 4 on one token of lower-case ASCII letters and digits, in place.
fn fold_in_place(t: &mut Vec<u8>) {
    // All but the last digraph hold an `h`: most tokens skip them with one look.
    if t.contains(&b'h') {
        for (from, to) in [
            (&b"shch"[..], &b"s"[..]),
            (b"sch", b"s"),
            (b"sh", b"s"),
            (b"ch", b"c"),
            (b"zh", b"j"),
            (b"kh", b"h"),
        ] {
            replace_in_place(t, from, to);
        }
    }
    replace_in_place(t, b"ts", b"c");
    for b in t.iter_mut() {
        *b = match *b {
            b'x' | b'h' => b'g',
            b'q' => b'k',
            b'w' => b'v',
            b'y' => b'i',
            other => other,
        };
    }
    collapse_in_place(t);
    replace_in_place(t, b"ie", b"e");
    collapse_in_place(t);
}

/// The buffers one thread reuses for every name.
#[derive(Default)]
struct Buffers {
    /// Steps 1–3 of the part being read.
    latin: String,
    /// The raw tokens of every part, one after another, and where each is.
    raw: String,
    raw_spans: Vec<(usize, usize)>,
    patronymic: Vec<bool>,
    /// One token being folded.
    token: Vec<u8>,
    /// The folded tokens kept, and where each is.
    folded: Vec<u8>,
    folded_spans: Vec<(usize, usize)>,
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::default();
}

/// [`super::canonical::canonical_name`] written into `out` (cleared first), without allocating
/// once the thread's buffers have grown to the longest name seen.
pub fn canonical_name_into(parts: &[&str], order_independent: bool, out: &mut String) {
    out.clear();
    BUFFERS.with(|b| match b.try_borrow_mut() {
        Ok(mut b) => b.canonical_name(parts, order_independent, out),
        // Only if a caller re-entered from inside (it cannot today): fresh buffers.
        Err(_) => Buffers::default().canonical_name(parts, order_independent, out),
    });
}

impl Buffers {
    fn canonical_name(&mut self, parts: &[&str], order_independent: bool, out: &mut String) {
        let Buffers { latin, raw, raw_spans, patronymic, token, folded, folded_spans } = self;
        raw.clear();
        raw_spans.clear();
        for part in parts {
            if is_placeholder(part) {
                continue;
            }
            latin_into(part, latin);
            // Tokens: runs of ASCII letters and digits (bytes of other characters separate),
            // of at least two letters.
            for t in latin.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| t.len() >= 2) {
                raw_spans.push((raw.len(), raw.len() + t.len()));
                raw.push_str(t);
            }
        }
        let tok = |i: usize| &raw[raw_spans[i].0..raw_spans[i].1];
        patronymic.clear();
        patronymic.resize(raw_spans.len(), false);
        for i in 0..raw_spans.len() {
            let t = tok(i);
            if is_one_of(PATRONYMIC_WORDS, t) {
                patronymic[i] = true;
                if i > 0 && !is_one_of(PARTICLES, tok(i - 1)) {
                    patronymic[i - 1] = true;
                }
            } else if patronymic_shaped(t) {
                patronymic[i] = true;
            }
        }
        let others = (0..raw_spans.len())
            .filter(|&i| !patronymic[i] && !is_one_of(PARTICLES, tok(i)))
            .count();
        let drop_patronymic = others >= 2;
        folded.clear();
        folded_spans.clear();
        for (i, &p) in patronymic.iter().enumerate() {
            let t = tok(i);
            if is_one_of(PARTICLES, t) || (p && drop_patronymic) {
                continue;
            }
            token.clear();
            token.extend_from_slice(t.as_bytes());
            fold_in_place(token);
            if token.len() >= 2 {
                folded_spans.push((folded.len(), folded.len() + token.len()));
                folded.extend_from_slice(token);
            }
        }
        if order_independent {
            let folded = &*folded;
            folded_spans.sort_unstable_by(|a, b| folded[a.0..a.1].cmp(&folded[b.0..b.1]));
        }
        for (n, &(start, end)) in folded_spans.iter().enumerate() {
            if n > 0 {
                out.push(' ');
            }
            // Folded tokens are ASCII letters and digits.
            out.extend(folded[start..end].iter().map(|&b| char::from(b)));
        }
    }
}
