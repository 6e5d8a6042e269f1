//! The words of the report page in the seven languages (en, ru, kk, uz, uk, ms, tr — the order of
//! [`Lang::ALL`]). Longer explanations are in [`super::notes`]; numbers are never written here,
//! only `{n}`-style slots that [`fill`] replaces with numbers formatted for the reader.

use crate::schema::Lang;

/// A word or short phrase of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::report::output) enum Word {
    Title,
    KeyFigures,
    Women,
    Children,
    MedianStay,
    AtExit,
    At6m,
    At12m,
    Prevented,
    NOfChildren,
    NOfPrevented,
    Trends,
    AdmissionsExits,
    Admissions,
    Exits,
    Partial,
    Interval,
    ByCountry,
    Country,
    KeptChart,
    Mix,
    Services,
    Referrals,
    Risks,
    Definitions,
    About,
    Covered,
    Produced,
    Source,
    Control,
    Period,
    AllCountries,
    Suppressed,
    Missing,
}

/// Each word in en, ru, kk, uz, uk, ms, tr.
fn texts(w: Word) -> [&'static str; 7] {
    match w {
        Word::Title => [
            "Mother's Home: results report",
            "Дом матери: отчёт о результатах",
            "Ана үйі: нәтижелер есебі",
            "Ona uyi: natijalar hisoboti",
            "Дім матері: звіт про результати",
            "Rumah Ibu: laporan hasil",
            "Anne Evi: sonuç raporu",
        ],
        Word::KeyFigures => [
            "Key figures",
            "Основные показатели",
            "Негізгі көрсеткіштер",
            "Asosiy ko'rsatkichlar",
            "Основні показники",
            "Angka utama",
            "Temel göstergeler",
        ],
        Word::Women => [
            "Women served",
            "Женщин получили помощь",
            "Көмек алған әйелдер",
            "Yordam olgan ayollar",
            "Жінок отримали допомогу",
            "Wanita dibantu",
            "Yardım alan kadınlar",
        ],
        Word::Children => [
            "Children served",
            "Детей получили помощь",
            "Көмек алған балалар",
            "Yordam olgan bolalar",
            "Дітей отримали допомогу",
            "Kanak-kanak dibantu",
            "Yardım alan çocuklar",
        ],
        Word::MedianStay => [
            "Median stay (days)",
            "Медиана пребывания (дней)",
            "Тұру медианасы (күн)",
            "Yashash medianasi (kun)",
            "Медіана перебування (днів)",
            "Median penginapan (hari)",
            "Medyan kalış (gün)",
        ],
        Word::AtExit => [
            "Children with their mother at exit",
            "Дети с матерью при выбытии",
            "Шығу кезінде анасымен бірге балалар",
            "Chiqishda onasi bilan qolgan bolalar",
            "Діти з матір'ю при вибутті",
            "Kanak-kanak bersama ibu semasa keluar",
            "Çıkışta annesiyle kalan çocuklar",
        ],
        Word::At6m => [
            "With their mother 6 months after exit",
            "С матерью через 6 месяцев после выбытия",
            "Шыққаннан кейін 6 айдан соң анасымен",
            "Chiqishdan 6 oy o'tib onasi bilan",
            "З матір'ю через 6 місяців після вибуття",
            "Bersama ibu 6 bulan selepas keluar",
            "Çıkıştan 6 ay sonra annesiyle",
        ],
        Word::At12m => [
            "With their mother 12 months after exit",
            "С матерью через 12 месяцев после выбытия",
            "Шыққаннан кейін 12 айдан соң анасымен",
            "Chiqishdan 12 oy o'tib onasi bilan",
            "З матір'ю через 12 місяців після вибуття",
            "Bersama ibu 12 bulan selepas keluar",
            "Çıkıştan 12 ay sonra annesiyle",
        ],
        Word::Prevented => [
            "Relinquishment prevented",
            "Отказ от ребёнка предотвращён",
            "Баладан бас тартудың алды алынды",
            "Boladan voz kechishning oldi olindi",
            "Відмову від дитини відвернено",
            "Penyerahan anak dicegah",
            "Çocuktan vazgeçme önlendi",
        ],
        Word::NOfChildren => [
            "{n} of {d} children",
            "{n} из {d} детей",
            "{d} баланың {n}",
            "{d} boladan {n} nafari",
            "{n} з {d} дітей",
            "{n} daripada {d} kanak-kanak",
            "{d} çocuktan {n}",
        ],
        Word::NOfPrevented => [
            "{n} of {d} women who intended to give up their child",
            "{n} из {d} женщин, намеревавшихся отказаться от ребёнка",
            "Баладан бас тартуды көздеген {d} әйелдің {n}",
            "Boladan voz kechmoqchi bo'lgan {d} ayoldan {n} nafari",
            "{n} з {d} жінок, які мали намір відмовитися від дитини",
            "{n} daripada {d} wanita yang berniat menyerahkan anak",
            "Çocuğundan vazgeçmeyi düşünen {d} kadından {n}",
        ],
        Word::Trends => [
            "Trends by period",
            "Динамика по периодам",
            "Кезеңдер бойынша өзгеріс",
            "Davrlar bo'yicha o'zgarish",
            "Динаміка за періодами",
            "Trend mengikut tempoh",
            "Dönemlere göre eğilimler",
        ],
        Word::AdmissionsExits => [
            "Admissions and exits per period",
            "Поступления и выбытия по периодам",
            "Кезеңдер бойынша қабылдау мен шығу",
            "Davrlar bo'yicha qabul va chiqishlar",
            "Надходження та вибуття за періодами",
            "Kemasukan dan keluar mengikut tempoh",
            "Döneme göre kabuller ve çıkışlar",
        ],
        Word::Admissions => [
            "Admissions",
            "Поступления",
            "Қабылдау",
            "Qabul",
            "Надходження",
            "Kemasukan",
            "Kabuller",
        ],
        Word::Exits => ["Exits", "Выбытия", "Шығу", "Chiqishlar", "Вибуття", "Keluar", "Çıkışlar"],
        Word::Partial => {
            ["partial", "неполный", "толық емес", "to'liq emas", "неповний", "separa", "kısmi"]
        }
        Word::Interval => [
            "95% interval",
            "95 % интервал",
            "95 % аралық",
            "95 % interval",
            "95 % інтервал",
            "selang 95%",
            "%95 aralık",
        ],
        Word::ByCountry => [
            "Results by country",
            "Результаты по странам",
            "Елдер бойынша нәтижелер",
            "Mamlakatlar bo'yicha natijalar",
            "Результати за країнами",
            "Hasil mengikut negara",
            "Ülkelere göre sonuçlar",
        ],
        Word::Country => ["Country", "Страна", "Ел", "Mamlakat", "Країна", "Negara", "Ülke"],
        Word::KeptChart => [
            "Children with their mother at exit, by country",
            "Дети с матерью при выбытии, по странам",
            "Шығу кезінде анасымен бірге балалар, елдер бойынша",
            "Chiqishda onasi bilan qolgan bolalar, mamlakatlar bo'yicha",
            "Діти з матір'ю при вибутті, за країнами",
            "Kanak-kanak bersama ibu semasa keluar, mengikut negara",
            "Çıkışta annesiyle kalan çocuklar, ülkelere göre",
        ],
        Word::Mix => [
            "Services, referrals and risk factors",
            "Услуги, направления и факторы риска",
            "Қызметтер, жолдамалар және қауіп факторлары",
            "Xizmatlar, yo'llanmalar va xavf omillari",
            "Послуги, направлення та чинники ризику",
            "Perkhidmatan, rujukan dan faktor risiko",
            "Hizmetler, yönlendirmeler ve risk etkenleri",
        ],
        Word::Services => [
            "Services delivered by type",
            "Оказанные услуги по видам",
            "Көрсетілген қызметтер түрлері бойынша",
            "Ko'rsatilgan xizmatlar turlari bo'yicha",
            "Надані послуги за видами",
            "Perkhidmatan diberikan mengikut jenis",
            "Türe göre verilen hizmetler",
        ],
        Word::Referrals => [
            "Cases by referral source",
            "Случаи по источнику направления",
            "Жолдама көзі бойынша істер",
            "Yo'llanma manbai bo'yicha ishlar",
            "Випадки за джерелом направлення",
            "Kes mengikut sumber rujukan",
            "Yönlendirme kaynağına göre vakalar",
        ],
        Word::Risks => [
            "Risk factors among assessed cases",
            "Факторы риска среди оценённых случаев",
            "Бағаланған істердегі қауіп факторлары",
            "Baholangan ishlardagi xavf omillari",
            "Чинники ризику серед оцінених випадків",
            "Faktor risiko dalam kes yang dinilai",
            "Değerlendirilen vakalarda risk etkenleri",
        ],
        Word::Definitions => [
            "Definitions",
            "Определения",
            "Анықтамалар",
            "Ta'riflar",
            "Визначення",
            "Definisi",
            "Tanımlar",
        ],
        Word::About => [
            "About these figures",
            "Об этих данных",
            "Осы деректер туралы",
            "Ushbu ma'lumotlar haqida",
            "Про ці дані",
            "Tentang angka ini",
            "Bu veriler hakkında",
        ],
        Word::Covered => [
            "Period covered",
            "Охваченный период",
            "Қамтылған кезең",
            "Qamrab olingan davr",
            "Охоплений період",
            "Tempoh diliputi",
            "Kapsanan dönem",
        ],
        Word::Produced => [
            "Produced on",
            "Дата составления",
            "Жасалған күні",
            "Tuzilgan sana",
            "Дата складання",
            "Tarikh dihasilkan",
            "Hazırlanma tarihi",
        ],
        Word::Source => ["Source", "Источник", "Дереккөз", "Manba", "Джерело", "Sumber", "Kaynak"],
        Word::Control => [
            "How disclosure control was applied",
            "Как применялась защита от раскрытия",
            "Ашылудан қорғау қалай қолданылды",
            "Oshkor bo'lishdan himoya qanday qo'llanildi",
            "Як застосовано захист від розкриття",
            "Bagaimana kawalan pendedahan digunakan",
            "İfşa denetimi nasıl uygulandı",
        ],
        Word::Period => ["Period", "Период", "Кезең", "Davr", "Період", "Tempoh", "Dönem"],
        Word::AllCountries => [
            "All countries",
            "Все страны",
            "Барлық елдер",
            "Barcha mamlakatlar",
            "Усі країни",
            "Semua negara",
            "Tüm ülkeler",
        ],
        Word::Suppressed => [
            "suppressed",
            "скрыто",
            "жасырылған",
            "yashirilgan",
            "приховано",
            "disembunyikan",
            "gizlendi",
        ],
        Word::Missing => [
            "not available",
            "недоступно",
            "қолжетімсіз",
            "mavjud emas",
            "недоступно",
            "tidak tersedia",
            "mevcut değil",
        ],
    }
}

/// The position of `lang` in [`Lang::ALL`], the column of every table here.
pub(super) fn column(lang: Lang) -> usize {
    Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)
}

/// `w` in `lang`.
pub(in crate::report::output) fn word(w: Word, lang: Lang) -> &'static str {
    texts(w)[column(lang)]
}

/// `w` in `lang` with each `{slot}` replaced by its (already formatted) value.
pub(super) fn fill(w: Word, lang: Lang, slots: &[(&str, &str)]) -> String {
    fill_text(word(w, lang), slots)
}

/// `text` with each `{slot}` replaced by its value.
pub(in crate::report::output) fn fill_text(text: &str, slots: &[(&str, &str)]) -> String {
    slots.iter().fold(text.to_string(), |t, (k, v)| t.replace(&format!("{{{k}}}"), v))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word (the `match` in `texts` makes sure each has its seven texts).
    const ALL: [Word; 34] = [
        Word::Title,
        Word::KeyFigures,
        Word::Women,
        Word::Children,
        Word::MedianStay,
        Word::AtExit,
        Word::At6m,
        Word::At12m,
        Word::Prevented,
        Word::NOfChildren,
        Word::NOfPrevented,
        Word::Trends,
        Word::AdmissionsExits,
        Word::Admissions,
        Word::Exits,
        Word::Partial,
        Word::Interval,
        Word::ByCountry,
        Word::Country,
        Word::KeptChart,
        Word::Mix,
        Word::Services,
        Word::Referrals,
        Word::Risks,
        Word::Definitions,
        Word::About,
        Word::Covered,
        Word::Produced,
        Word::Source,
        Word::Control,
        Word::Period,
        Word::AllCountries,
        Word::Suppressed,
        Word::Missing,
    ];

    #[test]
    fn every_word_is_given_in_every_language_with_the_same_slots() {
        for w in ALL {
            let texts = texts(w);
            for (lang, t) in Lang::ALL.iter().zip(texts) {
                assert!(!t.trim().is_empty(), "{w:?} [{lang}]");
            }
            // A slot in English is a slot in every language: no number lost in translation.
            for slot in ["{n}", "{d}"] {
                let en = texts[0].contains(slot);
                assert!(texts.iter().all(|t| t.contains(slot) == en), "{w:?} {slot}");
            }
        }
    }
}
