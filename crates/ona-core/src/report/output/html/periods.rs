//! Period codes (`2025`, `2025-Q3`, `2025-07`) as a reader writes them, in en, ru, kk, uz, uk,
//! ms, tr (the order of [`Lang::ALL`]).

use super::words::{column, fill_text};
use crate::schema::Lang;

/// A quarter as written in each language: `{q}` the quarter (1–4), `{y}` the year.
const QUARTER: [&str; 7] = [
    "Q{q} {y}",
    "{q} кв. {y}",
    "{y} ж. {q}-тоқсан",
    "{y}, {q}-chorak",
    "{q} кв. {y}",
    "S{q} {y}",
    "{y} Ç{q}",
];

/// A month as written in each language: `{m}` the month's name, `{y}` the year.
const MONTH: [&str; 7] =
    ["{m} {y}", "{m} {y}", "{y} ж. {m}", "{y}, {m}", "{m} {y}", "{m} {y}", "{m} {y}"];

/// Month names (standalone) in each language.
const MONTHS: [[&str; 12]; 7] = [
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ],
    [
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ],
    [
        "yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr", "oktabr",
        "noyabr", "dekabr",
    ],
    [
        "січень",
        "лютий",
        "березень",
        "квітень",
        "травень",
        "червень",
        "липень",
        "серпень",
        "вересень",
        "жовтень",
        "листопад",
        "грудень",
    ],
    ["Jan", "Feb", "Mac", "Apr", "Mei", "Jun", "Jul", "Ogo", "Sep", "Okt", "Nov", "Dis"],
    [
        "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
        "Kasım", "Aralık",
    ],
];

/// A period code (`2025`, `2025-Q3`, `2025-07`) as a reader of `lang` writes it; any other text
/// is returned as it is.
pub(super) fn period_label(code: &str, lang: Lang) -> String {
    let col = column(lang);
    let Some((y, rest)) = code.split_once('-') else { return code.to_string() };
    if let Some(q) = rest.strip_prefix('Q').filter(|q| matches!(*q, "1" | "2" | "3" | "4")) {
        return fill_text(QUARTER[col], &[("q", q), ("y", y)]);
    }
    match rest.parse::<usize>() {
        Ok(m @ 1..=12) if rest.len() == 2 => {
            fill_text(MONTH[col], &[("m", MONTHS[col][m - 1]), ("y", y)])
        }
        _ => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_written_in_the_readers_language() {
        assert_eq!(period_label("2025-Q3", Lang::En), "Q3 2025");
        assert_eq!(period_label("2025-Q3", Lang::Ru), "3 кв. 2025");
        assert_eq!(period_label("2025-Q3", Lang::Tr), "2025 Ç3");
        assert_eq!(period_label("2025-07", Lang::Uk), "липень 2025");
        assert_eq!(period_label("2025-07", Lang::Kk), "2025 ж. шілде");
        assert_eq!(period_label("2025", Lang::Ms), "2025");
        // Codes that are not periods are not turned into one.
        assert_eq!(period_label("2025-Q5", Lang::En), "2025-Q5");
        assert_eq!(period_label("2025-13", Lang::En), "2025-13");
        assert_eq!(period_label("2025-7", Lang::En), "2025-7");
    }
}
