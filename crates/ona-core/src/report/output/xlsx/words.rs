//! The words of the report workbook that the HTML page does not already have, in en, ru, kk, uz,
//! uk, ms, tr (the order of [`Lang::ALL`]). Shared words (suppressed, definitions, country, …)
//! come from the page's own table so the two outputs never disagree.

use crate::schema::Lang;

/// A word of the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum XWord {
    Total,
    Admin1,
    Centre,
    MotherAge,
    ChildAge,
    Value,
    Margin,
    Status,
    Numerator,
    Denominator,
    Indicator,
    Unit,
    Definition,
    Centres,
    Periods,
    CasesCounted,
    Excluded,
    MergedFrom,
    Populations,
    Threshold,
    Privacy,
    Number,
    Percent,
    Days,
}

/// Each word in en, ru, kk, uz, uk, ms, tr.
fn texts(w: XWord) -> [&'static str; 7] {
    match w {
        XWord::Total => ["Total", "Итого", "Барлығы", "Jami", "Разом", "Jumlah", "Toplam"],
        XWord::Admin1 => ["Region", "Регион", "Өңір", "Hudud", "Регіон", "Wilayah", "Bölge"],
        XWord::Centre => ["Centre", "Центр", "Орталық", "Markaz", "Центр", "Pusat", "Merkez"],
        XWord::MotherAge => [
            "Mother's age",
            "Возраст матери",
            "Ананың жасы",
            "Onaning yoshi",
            "Вік матері",
            "Umur ibu",
            "Annenin yaşı",
        ],
        XWord::ChildAge => [
            "Child's age",
            "Возраст ребёнка",
            "Баланың жасы",
            "Bolaning yoshi",
            "Вік дитини",
            "Umur anak",
            "Çocuğun yaşı",
        ],
        XWord::Value => ["Value", "Значение", "Мәні", "Qiymat", "Значення", "Nilai", "Değer"],
        XWord::Margin => ["± 95 %", "± 95 %", "± 95 %", "± 95 %", "± 95 %", "± 95 %", "± %95"],
        XWord::Status => ["Status", "Статус", "Күйі", "Holat", "Статус", "Status", "Durum"],
        XWord::Numerator => {
            ["Numerator", "Числитель", "Алым", "Surat", "Чисельник", "Pengangka", "Pay"]
        }
        XWord::Denominator => {
            ["Denominator", "Знаменатель", "Бөлім", "Maxraj", "Знаменник", "Penyebut", "Payda"]
        }
        XWord::Indicator => [
            "Indicator",
            "Показатель",
            "Көрсеткіш",
            "Ko'rsatkich",
            "Показник",
            "Penunjuk",
            "Gösterge",
        ],
        XWord::Unit => ["Unit", "Единица", "Бірлік", "Birlik", "Одиниця", "Unit", "Birim"],
        XWord::Definition => {
            ["Definition", "Определение", "Анықтама", "Ta'rif", "Визначення", "Definisi", "Tanım"]
        }
        XWord::Centres => {
            ["Centres", "Центры", "Орталықтар", "Markazlar", "Центри", "Pusat", "Merkezler"]
        }
        XWord::Periods => {
            ["Periods", "Периоды", "Кезеңдер", "Davrlar", "Періоди", "Tempoh", "Dönemler"]
        }
        XWord::CasesCounted => [
            "Cases counted",
            "Учтено случаев",
            "Есептелген істер",
            "Hisoblangan ishlar",
            "Враховано випадків",
            "Kes dikira",
            "Sayılan vakalar",
        ],
        XWord::Excluded => [
            "Cases left out",
            "Исключено случаев",
            "Шығарылған істер",
            "Chiqarilgan ishlar",
            "Виключено випадків",
            "Kes dikecualikan",
            "Dışarıda bırakılan vakalar",
        ],
        XWord::MergedFrom => [
            "Merged from",
            "Объединено из",
            "Біріктірілген",
            "Birlashtirilgan",
            "Об'єднано з",
            "Digabung daripada",
            "Birleştirilen",
        ],
        XWord::Populations => [
            "Populations",
            "Совокупности",
            "Жиынтықтар",
            "To'plamlar",
            "Сукупності",
            "Populasi",
            "Popülasyonlar",
        ],
        XWord::Threshold => [
            "Suppression threshold k",
            "Порог скрытия k",
            "Жасыру шегі k",
            "Yashirish chegarasi k",
            "Поріг приховування k",
            "Ambang penyembunyian k",
            "Gizleme eşiği k",
        ],
        XWord::Privacy => [
            "Differential privacy",
            "Дифференциальная приватность",
            "Дифференциалды құпиялылық",
            "Differensial maxfiylik",
            "Диференційна приватність",
            "Privasi pembezaan",
            "Diferansiyel gizlilik",
        ],
        XWord::Number => ["number", "число", "сан", "son", "число", "bilangan", "sayı"],
        XWord::Percent => ["percent", "процент", "пайыз", "foiz", "відсоток", "peratus", "yüzde"],
        XWord::Days => ["days", "дни", "күн", "kun", "дні", "hari", "gün"],
    }
}

/// `w` in `lang`.
pub(super) fn xword(w: XWord, lang: Lang) -> &'static str {
    let column = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    texts(w)[column]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_given_in_every_language() {
        use XWord::*;
        let all = [
            Total,
            Admin1,
            Centre,
            MotherAge,
            ChildAge,
            Value,
            Margin,
            Status,
            Numerator,
            Denominator,
            Indicator,
            Unit,
            Definition,
            Centres,
            Periods,
            CasesCounted,
            Excluded,
            MergedFrom,
            Populations,
            Threshold,
            Privacy,
            Number,
            Percent,
            Days,
        ];
        for w in all {
            for lang in Lang::ALL {
                assert!(!xword(w, lang).trim().is_empty(), "{w:?} [{lang}]");
            }
        }
    }
}
