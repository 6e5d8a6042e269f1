//! A self-contained HTML page for a board: key figures, a trend per period, children kept with
//! their mothers by country, and the mix of services, drawn as inline SVG (no script, no
//! network). Suppressed figures (`OBS_STATUS` Q) are shown as “suppressed”, figures the report
//! cannot give (M, e.g. a merged median) as “not available” — never as numbers.

use crate::report::dimensions::{Dimension, TOTAL};
use crate::report::indicators::Indicator;
use crate::report::model::{ObsStatus, Observation, Report};
use crate::schema::{labels, Codelist, Lang, ServiceType};
use std::fmt::Write;

/// The chart palette (also checked by the screenshot test).
pub const PALETTE: [&str; 4] = ["#1f6f8b", "#e07a5f", "#81b29a", "#f2cc8f"];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Words of the page, in en, ru, kk, uz, uk, ms, tr.
const WORDS: &[(&str, [&str; 7])] = &[
    ("title", ["Mother's Home: results report", "Дом матери: отчёт о результатах", "Ана үйі: нәтижелер есебі", "Ona uyi: natijalar hisoboti", "Дім матері: звіт про результати", "Rumah Ibu: laporan hasil", "Anne Evi: sonuç raporu"]),
    ("totals", ["Key figures", "Основные показатели", "Негізгі көрсеткіштер", "Asosiy ko'rsatkichlar", "Основні показники", "Angka utama", "Temel göstergeler"]),
    ("trend", ["Admissions and exits per period", "Поступления и выбытия по периодам", "Кезеңдер бойынша қабылдау мен шығу", "Davrlar bo'yicha qabul va chiqishlar", "Надходження та вибуття за періодами", "Kemasukan dan keluar mengikut tempoh", "Döneme göre kabuller ve çıkışlar"]),
    ("kept", ["Children with their mother at exit, by country (%)", "Дети с матерью при выбытии, по странам (%)", "Шығу кезінде анасымен бірге балалар, елдер бойынша (%)", "Chiqishda onasi bilan bolalar, mamlakatlar bo'yicha (%)", "Діти з матір'ю при вибутті, за країнами (%)", "Kanak-kanak bersama ibu semasa keluar, mengikut negara (%)", "Çıkışta annesiyle kalan çocuklar, ülkelere göre (%)"]),
    ("services", ["Services delivered by type", "Оказанные услуги по видам", "Көрсетілген қызметтер түрлері бойынша", "Ko'rsatilgan xizmatlar turlari bo'yicha", "Надані послуги за видами", "Perkhidmatan diberikan mengikut jenis", "Türe göre verilen hizmetler"]),
    ("suppressed", ["suppressed", "скрыто", "жасырылған", "yashirilgan", "приховано", "disembunyikan", "gizlendi"]),
    ("missing", ["not available", "недоступно", "қолжетімсіз", "mavjud emas", "недоступно", "tidak tersedia", "mevcut değil"]),
    ("missing_note", ["“Not available”: a figure this report cannot give (a median is not merged from country medians).", "«Недоступно»: показатель, который этот отчёт не может дать (медиана не складывается из медиан стран).", "«Қолжетімсіз»: бұл есеп бере алмайтын көрсеткіш (медиана елдердің медианаларынан біріктірілмейді).", "«Mavjud emas»: bu hisobot bera olmaydigan ko'rsatkich (mediana mamlakatlar medianalaridan birlashtirilmaydi).", "«Недоступно»: показник, який цей звіт не може дати (медіана не складається з медіан країн).", "«Tidak tersedia»: angka yang tidak dapat diberikan oleh laporan ini (median tidak digabungkan daripada median negara).", "«Mevcut değil»: bu raporun veremeyeceği bir gösterge (medyan, ülke medyanlarından birleştirilemez)."]),
    ("note", ["Counts from 1 to {k} are never shown, nor cells that would reveal them; shown as “suppressed”.", "Числа от 1 до {k} и ячейки, которые могли бы их раскрыть, не показываются («скрыто»).", "1-ден {k}-ге дейінгі сандар және оларды ашатын ұяшықтар көрсетілмейді («жасырылған»).", "1 dan {k} gacha sonlar va ularni ochib beradigan kataklar ko'rsatilmaydi («yashirilgan»).", "Числа від 1 до {k} і клітинки, що могли б їх розкрити, не показуються («приховано»).", "Bilangan 1 hingga {k} dan sel yang boleh mendedahkannya tidak ditunjukkan («disembunyikan»).", "1 ile {k} arası sayılar ve bunları açığa çıkarabilecek hücreler gösterilmez («gizlendi»)."]),
    ("admissions", ["Admissions", "Поступления", "Қабылдау", "Qabul", "Надходження", "Kemasukan", "Kabuller"]),
    ("exits", ["Exits", "Выбытия", "Шығу", "Chiqishlar", "Вибуття", "Keluar", "Çıkışlar"]),
    ("women", ["Women served", "Женщин получили помощь", "Көмек алған әйелдер", "Yordam olgan ayollar", "Жінок отримали допомогу", "Wanita dibantu", "Yardım alan kadınlar"]),
    ("children", ["Children served", "Детей получили помощь", "Көмек алған балалар", "Yordam olgan bolalar", "Дітей отримали допомогу", "Kanak-kanak dibantu", "Yardım alan çocuklar"]),
    ("with_mother", ["With mother at exit", "С матерью при выбытии", "Шығуда анасымен", "Chiqishda onasi bilan", "З матір'ю при вибутті", "Bersama ibu semasa keluar", "Çıkışta annesiyle"]),
    ("prevented", ["Relinquishment prevented", "Отказ предотвращён", "Бас тарту алдын алынды", "Voz kechish oldi olindi", "Відмову відвернено", "Penyerahan dicegah", "Vazgeçme önlendi"]),
    ("los", ["Median stay (days)", "Медиана пребывания (дней)", "Тұру медианасы (күн)", "Yashash medianasi (kun)", "Медіана перебування (днів)", "Median penginapan (hari)", "Medyan kalış (gün)"]),
    ("coverage", ["Countries", "Страны", "Елдер", "Mamlakatlar", "Країни", "Negara", "Ülkeler"]),
];

fn word(key: &str, lang: Lang) -> &'static str {
    let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    WORDS.iter().find(|(k, _)| *k == key).map_or("", |(_, w)| w[i])
}

/// Whether every dimension of `o` is the total, except those in `free`.
fn only(o: &Observation, free: &[&str]) -> bool {
    o.dims.iter().all(|(d, v)| free.contains(&d.as_str()) || v == TOTAL)
}

/// How an observation is shown: its text, and its value when it has one.
fn shown(o: Option<&Observation>, lang: Lang) -> (String, Option<f64>) {
    match o {
        Some(o) if o.obs_status == ObsStatus::A => {
            let v = o.value.as_ref().and_then(serde_json::Number::as_f64);
            let unit = if o.unit == "PERCENT" { " %" } else { "" };
            // A noisy count shows its 95 % half-width.
            let margin = o.margin_95.map(|m| format!(" ± {m}")).unwrap_or_default();
            let text = o.value.as_ref().map(ToString::to_string).unwrap_or_default();
            (format!("{text}{unit}{margin}"), v)
        }
        Some(o) if o.is_missing() => (word("missing", lang).to_string(), None),
        Some(_) => (word("suppressed", lang).to_string(), None),
        None => ("—".to_string(), None),
    }
}

/// A horizontal bar chart: (label, value, text shown — also for a value withheld or missing).
fn hbars(rows: &[(String, Option<f64>, String)], colour: &str, max: f64) -> String {
    let h = 28 * rows.len() + 10;
    let mut s = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 760 {h}\" role=\"img\">");
    for (i, (label, v, text)) in rows.iter().enumerate() {
        let y = 5 + i * 28;
        let short: String = if label.chars().count() > 30 {
            label.chars().take(29).chain(std::iter::once('…')).collect()
        } else {
            label.clone()
        };
        let _ = write!(
            s,
            "<text x=\"230\" y=\"{}\" text-anchor=\"end\" font-size=\"14\" fill=\"#333\"><title>{}</title>{}</text>",
            y + 18,
            esc(label),
            esc(&short)
        );
        match v {
            Some(v) => {
                let w = if max > 0.0 { (v / max * 440.0).max(1.0) } else { 0.0 };
                let _ = write!(s, "<rect x=\"240\" y=\"{y}\" width=\"{w:.1}\" height=\"22\" fill=\"{colour}\" rx=\"3\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"13\" fill=\"#222\">{}</text>", 246.0 + w, y + 16, esc(text));
            }
            None => {
                let _ = write!(s, "<rect x=\"240\" y=\"{y}\" width=\"60\" height=\"22\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 3\" rx=\"3\"/><text x=\"308\" y=\"{}\" font-size=\"12\" fill=\"#777\">{}</text>", y + 16, esc(text));
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// A value of a trend series: the number, or the text shown in its place.
type Point = (Option<f64>, String);

/// Grouped vertical bars per period for two series.
fn trend(periods: &[(String, Point, Point)], lang: Lang) -> String {
    let max =
        periods.iter().flat_map(|(_, a, b)| [a.0, b.0]).flatten().fold(0.0, f64::max).max(1.0);
    let n = periods.len().max(1);
    let step = 700.0 / n as f64;
    let bw = (step * 0.38).min(40.0);
    let mut s = String::from("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 760 300\" role=\"img\">");
    s.push_str("<line x1=\"40\" y1=\"250\" x2=\"750\" y2=\"250\" stroke=\"#888\"/>");
    let _ = write!(s, "<text x=\"40\" y=\"20\" font-size=\"12\" fill=\"#555\">max {max}</text>");
    for (i, (p, a, b)) in periods.iter().enumerate() {
        let x = 50.0 + i as f64 * step;
        for (j, ((v, text), c)) in [(a, PALETTE[0]), (b, PALETTE[1])].into_iter().enumerate() {
            let xx = x + j as f64 * bw;
            match v {
                Some(v) => {
                    let hgt = v / max * 210.0;
                    let _ = write!(s, "<rect x=\"{xx:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{hgt:.1}\" fill=\"{c}\"/>", 250.0 - hgt);
                }
                None => {
                    let _ = write!(s, "<rect x=\"{xx:.1}\" y=\"230\" width=\"{bw:.1}\" height=\"20\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"3 2\"><title>{}</title></rect>", esc(text));
                }
            }
        }
        if n <= 16 || i % 2 == 0 {
            let _ = write!(s, "<text x=\"{:.1}\" y=\"268\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\">{}</text>", x + bw, esc(p));
        }
    }
    let _ = write!(s, "<rect x=\"50\" y=\"280\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"68\" y=\"291\" font-size=\"12\">{}</text>", PALETTE[0], word("admissions", lang));
    let _ = write!(s, "<rect x=\"200\" y=\"280\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"218\" y=\"291\" font-size=\"12\">{}</text>", PALETTE[1], word("exits", lang));
    s.push_str("</svg>");
    s
}

impl Report {
    /// A self-contained HTML page in `lang`, with inline SVG charts.
    pub fn to_html(&self, lang: Lang) -> String {
        let period_dim =
            self.dimensions().into_iter().find(|d| d.is_period()).unwrap_or(Dimension::Year);
        let total = |i: Indicator| self.of(i).find(|o| only(o, &[]));
        let mut h = String::new();
        let _ = write!(h, "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>body{{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:32px auto;max-width:900px;color:#222;background:#fff}}h1{{font-size:28px;margin-bottom:4px}}h2{{font-size:19px;margin-top:34px;border-bottom:2px solid {};padding-bottom:4px}}.tiles{{display:grid;grid-template-columns:repeat(3,1fr);gap:12px}}.tile{{background:#f4f8f9;border-left:6px solid {};padding:12px 14px;border-radius:4px}}.tile b{{display:block;font-size:28px;color:{}}}.tile span{{font-size:14px;color:#444}}.meta{{color:#555;font-size:14px}}.note{{color:#666;font-size:13px;margin-top:28px}}</style></head><body>",
            lang.code(), esc(word("title", lang)), PALETTE[0], PALETTE[2], PALETTE[0]);
        let span = self.period.clone().unwrap_or_else(|| {
            match (self.provenance.periods.first(), self.provenance.periods.last()) {
                (Some(a), Some(b)) => format!("{a} – {b}"),
                _ => String::new(),
            }
        });
        let mut meta = vec![
            format!("{}: {}", word("coverage", lang), self.provenance.countries.join(", ")),
            span,
        ];
        if self.dp.is_some() {
            meta.push("differential privacy".to_string());
        }
        meta.retain(|m| !m.is_empty());
        let _ = write!(
            h,
            "<h1>{}</h1><p class=\"meta\">{}</p>",
            esc(word("title", lang)),
            esc(&meta.join(" · "))
        );
        let _ = write!(h, "<h2>{}</h2><div class=\"tiles\">", word("totals", lang));
        for (key, ind) in [
            ("women", Indicator::WomenServed),
            ("children", Indicator::ChildrenServed),
            ("admissions", Indicator::Admissions),
            ("with_mother", Indicator::ShareWithMotherAtExit),
            ("prevented", Indicator::RelinquishmentPrevented),
            ("los", Indicator::LengthOfStayMedian),
        ] {
            let (text, _) = shown(total(ind), lang);
            let _ = write!(
                h,
                "<div class=\"tile\"><b>{}</b><span>{}</span></div>",
                esc(&text),
                word(key, lang)
            );
        }
        h.push_str("</div>");

        // Trend per period.
        let pid = period_dim.id();
        let mut periods: Vec<String> = self
            .of(Indicator::Admissions)
            .filter(|o| only(o, &[pid]))
            .filter_map(|o| o.dims.get(pid).filter(|v| *v != TOTAL).cloned())
            .collect();
        periods.sort();
        periods.dedup();
        let at = |i: Indicator, p: &str| {
            self.of(i).find(|o| only(o, &[pid]) && o.dims.get(pid).map(String::as_str) == Some(p))
        };
        let point = |o| {
            let (text, v) = shown(o, lang);
            (v, text)
        };
        let series: Vec<(String, Point, Point)> = periods
            .iter()
            .map(|p| {
                (p.clone(), point(at(Indicator::Admissions, p)), point(at(Indicator::Exits, p)))
            })
            .collect();
        let _ = write!(h, "<h2>{}</h2>{}", word("trend", lang), trend(&series, lang));

        // Children kept with their mothers by country.
        let rows: Vec<(String, Option<f64>, String)> = self
            .provenance
            .countries
            .iter()
            .map(|c| {
                let o = self
                    .of(Indicator::ShareWithMotherAtExit)
                    .find(|o| only(o, &["country"]) && o.dims.get("country") == Some(c));
                let (t, v) = shown(o, lang);
                (c.clone(), v, t)
            })
            .collect();
        let _ = write!(h, "<h2>{}</h2>{}", word("kept", lang), hbars(&rows, PALETTE[2], 100.0));

        // Mix of services.
        let mut rows: Vec<(String, Option<f64>, String)> = ServiceType::ALL
            .iter()
            .filter_map(|s| {
                let o = self.of(Indicator::ServicesDelivered).find(|o| {
                    only(o, &["service_type"])
                        && o.dims.get("service_type").map(String::as_str) == Some(s.id())
                })?;
                let (t, v) = shown(Some(o), lang);
                Some((
                    labels::label(ServiceType::LIST, s.id(), lang)
                        .or_else(|| labels::label(ServiceType::LIST, s.id(), Lang::En))
                        .unwrap_or(s.id())
                        .to_string(),
                    v,
                    t,
                ))
            })
            .collect();
        rows.sort_by(|a, b| b.1.unwrap_or(-1.0).total_cmp(&a.1.unwrap_or(-1.0)));
        let max = rows.iter().filter_map(|r| r.1).fold(0.0, f64::max);
        let _ = write!(h, "<h2>{}</h2>{}", word("services", lang), hbars(&rows, PALETTE[3], max));
        // Under differential privacy nothing is suppressed: each count shows "± x", the
        // half-width of its 95 % interval (`docs/reporting.md`).
        let mut note = match &self.dp {
            Some(dp) => format!("ε = {}: ± 95 %", dp.epsilon),
            None => {
                word("note", lang).replace("{k}", &self.threshold.saturating_sub(1).to_string())
            }
        };
        if self.observations.iter().any(Observation::is_missing) {
            note = format!("{note} {}", word("missing_note", lang));
        }
        let _ = writeln!(h, "<p class=\"note\">{}</p></body></html>", esc(&note));
        h
    }
}
