//! Charts as inline SVG that tell the truth: a zero baseline, an axis with ticks labelled in the
//! reader's language, partial periods shaded, withheld points as gaps (never zeros), a band for
//! the 95 % interval of noisy values, and a `<title>`/`<desc>` that a screen reader reads out.

use super::figure::Figure;
use super::locale::Local;
use super::words::{word, Word};
use super::{esc, Colour};
use std::fmt::Write;

/// Grey of the partial-period shading (not a chart colour: it carries no series).
const SHADE: &str = "#e6e6e6";

/// A scale from zero: its top and the step between ticks (1, 2, 2.5 or 5 times a power of ten;
/// whole numbers for counts).
pub(super) fn nice_scale(max: f64) -> (f64, f64) {
    if max.is_nan() || max <= 0.0 {
        return (1.0, 1.0);
    }
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step =
        [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(raw);
    let step = step.max(1.0);
    ((max / step).ceil() * step, step)
}

/// The ticks of a scale, from zero to its top.
fn ticks(top: f64, step: f64) -> impl Iterator<Item = f64> {
    (0..).map(move |i| f64::from(i) * step).take_while(move |t| *t <= top + step * 1e-9)
}

/// How a tick or value on a chart's axis is written.
fn axis_label(v: f64, percent: bool, l: &Local) -> String {
    if percent {
        l.percent_whole(v.round() as i64)
    } else if v.fract() == 0.0 {
        l.count(v as i64)
    } else {
        l.tenths((v * 10.0).round() as i64)
    }
}

/// Opens an SVG with its accessible title and description.
fn open(id: &str, w: u32, h: u32, title: &str, desc: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    )
}

/// The plain-text reading of a series for `<desc>`: `Q1 2025: 86.1%; Q2 2025: suppressed (partial)`.
fn describe(periods: &[String], points: &[Figure], partial: &[bool], l: &Local) -> String {
    let p = word(Word::Partial, l.lang);
    periods
        .iter()
        .zip(points)
        .zip(partial)
        .map(|((label, f), part)| {
            let s = format!("{label}: {}", f.text_pm(l));
            if *part {
                format!("{s} ({p})")
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A share or count over periods: one series, one colour.
pub(super) struct LineChart<'a> {
    /// Unique id on the page.
    pub id: &'a str,
    /// Heading of the chart (also its `<title>`).
    pub title: &'a str,
    /// Series colour.
    pub colour: &'static str,
    /// Period labels in the reader's language.
    pub periods: &'a [String],
    /// One figure per period.
    pub points: &'a [Figure],
    /// Whether each period is partial.
    pub partial: &'a [bool],
}

impl LineChart<'_> {
    /// The chart of a share (0–100 %) as SVG.
    pub fn svg(&self, l: &Local) -> String {
        let (w, h) = (440.0, 250.0);
        let (left, right, top, bottom) = (52.0, w - 10.0, 14.0, h - 58.0);
        let n = self.periods.len().max(1);
        let step = (right - left) / n as f64;
        let x = |i: usize| left + (i as f64 + 0.5) * step;
        let (ymax, ystep) = (100.0, 25.0);
        let y = |v: f64| bottom - v.clamp(0.0, ymax) / ymax * (bottom - top);
        let desc = describe(self.periods, self.points, self.partial, l);
        let mut s = open(self.id, w as u32, h as u32, self.title, &desc);
        for (i, _) in self.partial.iter().enumerate().filter(|(_, p)| **p) {
            let _ = write!(s, "<rect x=\"{:.1}\" y=\"{top}\" width=\"{step:.1}\" height=\"{:.1}\" fill=\"{SHADE}\"/>", left + i as f64 * step, bottom - top);
        }
        for t in ticks(ymax, ystep) {
            let _ = write!(s, "<line x1=\"{left}\" x2=\"{right}\" y1=\"{0:.1}\" y2=\"{0:.1}\" stroke=\"{1}\" stroke-width=\"1\"/><text x=\"{2}\" y=\"{3:.1}\" text-anchor=\"end\" font-size=\"11\" fill=\"#333\">{4}</text>",
                y(t), if t == 0.0 { "#444" } else { "#d0d0d0" }, left - 6.0, y(t) + 4.0, esc(&axis_label(t, true, l)));
        }
        // Interval bands over each run of points that carry one.
        for run in runs(self.points, |f| f.bounds().is_some()) {
            let bound = |i: usize, upper: bool| {
                let (a, b) = self.points[i].bounds().unwrap_or((0.0, 0.0));
                y(if upper { b } else { a })
            };
            if let [i] = run[..] {
                let _ = write!(s, "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1:.1}\" y2=\"{2:.1}\" stroke=\"{3}\" stroke-opacity=\"0.45\" stroke-width=\"6\"/>", x(i), bound(i, true), bound(i, false), self.colour);
            } else {
                let up = run.iter().map(|&i| format!("{:.1},{:.1}", x(i), bound(i, true)));
                let down = run.iter().rev().map(|&i| format!("{:.1},{:.1}", x(i), bound(i, false)));
                let points: Vec<String> = up.chain(down).collect();
                let _ = write!(
                    s,
                    "<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"0.22\"/>",
                    points.join(" "),
                    self.colour
                );
            }
        }
        // The line, broken wherever a figure is withheld: a gap, never a zero.
        for run in runs(self.points, |f| f.shown().is_some()) {
            let d: Vec<String> = run
                .iter()
                .enumerate()
                .map(|(k, &i)| {
                    format!(
                        "{}{:.1},{:.1}",
                        if k == 0 { "M" } else { "L" },
                        x(i),
                        y(self.points[i].shown().unwrap_or(0.0))
                    )
                })
                .collect();
            let _ = write!(s, "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"3\" stroke-linejoin=\"round\"/>", d.join(""), self.colour);
        }
        for (i, f) in self.points.iter().enumerate() {
            if let Some(v) = f.shown() {
                let _ = write!(s, "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{}\"><title>{}: {}</title></circle>", x(i), y(v), self.colour, esc(&self.periods[i]), esc(&f.text_pm(l)));
            }
        }
        x_labels(&mut s, self.periods, left, step, bottom);
        s.push_str("</svg>");
        s
    }
}

/// Indexes of the maximal runs of consecutive points that satisfy `keep`.
fn runs(points: &[Figure], keep: impl Fn(&Figure) -> bool) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut cur = Vec::new();
    for (i, f) in points.iter().enumerate() {
        if keep(f) {
            cur.push(i);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Period labels under a chart: a tick at every period, a label where there is room for one.
fn x_labels(s: &mut String, periods: &[String], left: f64, step: f64, bottom: f64) {
    let every = (62.0 / step).ceil().max(1.0) as usize;
    for (i, p) in periods.iter().enumerate() {
        let x = left + (i as f64 + 0.5) * step;
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{bottom}\" y2=\"{:.1}\" stroke=\"#444\"/>",
            bottom + 4.0
        );
        if (periods.len() - 1 - i).is_multiple_of(every) {
            let _ = write!(s, "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"10.5\" fill=\"#333\" transform=\"rotate(-35 {x:.1} {:.1})\">{}</text>", bottom + 16.0, bottom + 16.0, esc(p));
        }
    }
}

/// Two counts per period side by side (admissions and exits), with a count axis.
pub(super) struct PairChart<'a> {
    /// Unique id on the page.
    pub id: &'a str,
    /// Heading (and `<title>`).
    pub title: &'a str,
    /// Period labels.
    pub periods: &'a [String],
    /// The two series: legend text, colour, figures, partial marks.
    pub series: [(&'a str, &'static str, &'a [Figure], &'a [bool]); 2],
}

impl PairChart<'_> {
    /// The chart as SVG.
    pub fn svg(&self, l: &Local) -> String {
        let (w, h) = (900.0, 300.0);
        let (left, right, top, bottom) = (64.0, w - 10.0, 12.0, h - 80.0);
        let n = self.periods.len().max(1);
        let step = (right - left) / n as f64;
        let max = self
            .series
            .iter()
            .flat_map(|s| s.2.iter().filter_map(Figure::shown))
            .fold(0.0, f64::max);
        let (ymax, ystep) = nice_scale(max);
        let y = |v: f64| bottom - v.clamp(0.0, ymax) / ymax * (bottom - top);
        let desc = self
            .series
            .iter()
            .map(|(name, _, pts, part)| {
                format!("{name} — {}", describe(self.periods, pts, part, l))
            })
            .collect::<Vec<_>>()
            .join(". ");
        let mut s = open(self.id, w as u32, h as u32, self.title, &desc);
        for t in ticks(ymax, ystep) {
            let _ = write!(s, "<line x1=\"{left}\" x2=\"{right}\" y1=\"{0:.1}\" y2=\"{0:.1}\" stroke=\"#d0d0d0\"/><text x=\"{1}\" y=\"{2:.1}\" text-anchor=\"end\" font-size=\"11\" fill=\"#333\">{3}</text>",
                y(t), left - 6.0, y(t) + 4.0, esc(&axis_label(t, false, l)));
        }
        let bw = (step * 0.38).min(30.0);
        for (j, (name, colour, pts, part)) in self.series.iter().enumerate() {
            for (i, f) in pts.iter().enumerate() {
                let x = left + i as f64 * step + step / 2.0 - bw + j as f64 * bw;
                let partial = part.get(i).copied().unwrap_or(false);
                let tip = format!("{name}, {}: {}", self.periods[i], f.text_pm(l));
                match f.shown() {
                    Some(v) => {
                        let _ = write!(s, "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{colour}\"{}><title>{}</title></rect>",
                            y(v), bottom - y(v), if partial { " fill-opacity=\"0.45\"" } else { "" }, esc(&tip));
                        if let Some((a, b)) = f.bounds() {
                            // The 95 % interval of a noisy count as a whisker over its bar.
                            let cx = x + bw / 2.0;
                            let _ = write!(s, "<path d=\"M{:.1},{:.1}H{:.1}M{cx:.1},{:.1}V{:.1}M{:.1},{:.1}H{:.1}\" stroke=\"#222\" fill=\"none\"/>",
                                cx - 3.0, y(b), cx + 3.0, y(b), y(a), cx - 3.0, y(a), cx + 3.0);
                        }
                    }
                    None => {
                        let _ = write!(s, "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"14\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"3 2\"><title>{}</title></rect>", bottom - 14.0, esc(&tip));
                    }
                }
            }
        }
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{right}\" y1=\"{bottom}\" y2=\"{bottom}\" stroke=\"#444\"/>"
        );
        x_labels(&mut s, self.periods, left, step, bottom);
        for (j, (name, colour, _, _)) in self.series.iter().enumerate() {
            let lx = left + j as f64 * 220.0;
            let _ = write!(s, "<rect x=\"{lx}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#222\">{}</text>", h - 16.0, lx + 18.0, h - 6.0, esc(name));
        }
        s.push_str("</svg>");
        s
    }
}

/// One bar per row (countries, services, referral sources, risk factors) on a common axis.
pub(super) struct BarChart<'a> {
    /// Unique id on the page.
    pub id: &'a str,
    /// Heading (and `<title>`).
    pub title: &'a str,
    /// Bar colour.
    pub colour: &'static str,
    /// Label and figure of each row.
    pub rows: &'a [(String, Figure)],
    /// Whether the figures are shares (axis 0–100 %).
    pub percent: bool,
}

impl BarChart<'_> {
    /// The chart as SVG.
    pub fn svg(&self, l: &Local) -> String {
        let (w, label_w, bar_h, gap) = (900.0, 250.0, 20.0, 8.0);
        let (left, right) = (label_w + 10.0, w - 90.0);
        let h = 16.0 + self.rows.len() as f64 * (bar_h + gap) + 28.0;
        let bottom = h - 28.0;
        let max = self.rows.iter().filter_map(|r| r.1.shown()).fold(0.0, f64::max);
        let (xmax, xstep) = if self.percent { (100.0, 25.0) } else { nice_scale(max) };
        let x = |v: f64| left + v.clamp(0.0, xmax) / xmax * (right - left);
        let desc = self
            .rows
            .iter()
            .map(|(k, f)| format!("{k}: {}", f.text_pm(l)))
            .collect::<Vec<_>>()
            .join("; ");
        let mut s = open(self.id, w as u32, h as u32, self.title, &desc);
        for t in ticks(xmax, xstep) {
            let _ = write!(s, "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"8\" y2=\"{bottom}\" stroke=\"{1}\"/><text x=\"{0:.1}\" y=\"{2:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333\">{3}</text>",
                x(t), if t == 0.0 { "#444" } else { "#d0d0d0" }, bottom + 16.0, esc(&axis_label(t, self.percent, l)));
        }
        for (i, (label, f)) in self.rows.iter().enumerate() {
            let top = 12.0 + i as f64 * (bar_h + gap);
            let short: String = if label.chars().count() > 34 {
                label.chars().take(33).chain(std::iter::once('…')).collect()
            } else {
                label.clone()
            };
            let _ = write!(s, "<text x=\"{label_w}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"13\" fill=\"#222\"><title>{}</title>{}</text>", top + 15.0, esc(label), esc(&short));
            let text = f.text_pm(l);
            match f.shown() {
                Some(v) => {
                    let _ = write!(s, "<rect x=\"{left}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{bar_h}\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#222\">{}</text>", (x(v) - left).max(1.0), self.colour, x(v) + 6.0, top + 15.0, esc(&text));
                }
                None => {
                    let _ = write!(s, "<rect x=\"{left}\" y=\"{top:.1}\" width=\"60\" height=\"{bar_h}\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 3\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#666\">{}</text>", left + 66.0, top + 15.0, esc(&text));
                }
            }
        }
        s.push_str("</svg>");
        s
    }
}

/// The legend under the trend charts: partial periods (shaded behind a line, lighter bars), and
/// the interval band when there is one.
pub(super) fn legend(l: &Local, interval: bool) -> String {
    let partial = esc(word(Word::Partial, l.lang));
    let mut s = format!(
        "<span class=\"key\"><i style=\"background:{SHADE}\"></i><i style=\"background:{};opacity:0.45\"></i>{partial}</span>",
        Colour::Sky.hex()
    );
    if interval {
        let _ = write!(
            s,
            "<span class=\"key\"><i style=\"background:#bbb\"></i>{}</span>",
            esc(word(Word::Interval, l.lang))
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::output::html::figure::{Interval, State};
    use crate::schema::Lang;

    fn share(v: Option<f64>, half: Option<f64>) -> Figure {
        ranged(v, half.map(Interval::PlusMinus))
    }

    fn ranged(v: Option<f64>, interval: Option<Interval>) -> Figure {
        Figure {
            state: if v.is_some() { State::Shown } else { State::Suppressed },
            value: v,
            numerator: None,
            denominator: None,
            interval,
            unit: "PERCENT",
        }
    }

    fn chart(points: &[Figure], partial: &[bool]) -> String {
        let periods: Vec<String> = (1..=points.len()).map(|q| format!("Q{q} 2025")).collect();
        let c = LineChart {
            id: "t",
            title: "Kept",
            colour: "#0072b2",
            periods: &periods,
            points,
            partial,
        };
        c.svg(&Local::new(Lang::En))
    }

    #[test]
    fn a_withheld_point_is_a_gap_in_the_line_not_a_zero() {
        let svg = chart(
            &[share(Some(80.0), None), share(None, None), share(Some(85.0), None)],
            &[false; 3],
        );
        // Two pieces of line, two points, and nothing drawn on the zero line.
        assert_eq!(svg.matches("<path").count(), 2, "{svg}");
        assert_eq!(svg.matches("<circle").count(), 2);
        let bottom = 250.0 - 58.0;
        assert!(!svg.contains(&format!("cy=\"{bottom:.1}\"")), "{svg}");
        // The reader of a screen reader hears it too.
        assert!(
            svg.contains(
                "<desc id=\"t-d\">Q1 2025: 80.0%; Q2 2025: suppressed; Q3 2025: 85.0%</desc>"
            ),
            "{svg}"
        );
        assert!(svg.contains("<title id=\"t-t\">Kept</title>"));
    }

    #[test]
    fn partial_periods_are_shaded_and_intervals_drawn_as_bands() {
        let plain = chart(&[share(Some(80.0), None), share(Some(82.0), None)], &[false, true]);
        assert_eq!(plain.matches(SHADE).count(), 1);
        assert!(plain.contains("Q2 2025: 82.0% (partial)"));
        assert!(!plain.contains("<polygon"));
        let noisy =
            chart(&[share(Some(80.0), Some(2.5)), share(Some(82.0), Some(3.0))], &[false; 2]);
        assert!(noisy.contains("<polygon") && noisy.contains("Q1 2025: 80.0% ± 2.5"), "{noisy}");
        // The y axis runs from 0 to 100 % with labelled ticks.
        for t in ["0%", "25%", "50%", "75%", "100%"] {
            assert!(plain.contains(&format!(">{t}</text>")), "{t}");
        }
    }

    /// A share's interval is not centred on its value (a ratio of two noisy counts): the band
    /// runs from each point's lower to its upper bound, a lone point gets a whisker, and a
    /// withheld point between them breaks the band as it breaks the line.
    #[test]
    fn share_intervals_are_drawn_from_their_own_bounds() {
        let r = |v: f64, a: f64, b: f64| ranged(Some(v), Some(Interval::Range(a, b)));
        let svg = chart(
            &[r(80.0, 70.0, 95.0), r(85.0, 75.0, 90.0), ranged(None, None), r(60.0, 40.0, 62.5)],
            &[false; 4],
        );
        // y(v) = 192 − v/100 × 178; x(i) = 52 + (i + ½) × 94.5.
        let y = |v: f64| 192.0 - v / 100.0 * 178.0;
        let band = format!(
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\"",
            99.25,
            y(95.0),
            193.75,
            y(90.0),
            193.75,
            y(75.0),
            99.25,
            y(70.0)
        );
        assert!(svg.contains(&band), "{band}\n{svg}");
        assert_eq!(svg.matches("<polygon").count(), 1, "{svg}");
        let whisker = format!("y1=\"{:.1}\" y2=\"{:.1}\"", y(62.5), y(40.0));
        assert!(svg.contains(&whisker), "{whisker}\n{svg}");
        assert!(svg.contains("Q1 2025: 80.0% (70.0% – 95.0%); Q2 2025: 85.0% (75.0% – 90.0%)"));
    }

    #[test]
    fn scales_start_at_zero_and_cover_the_largest_value() {
        assert_eq!(nice_scale(5459.0), (6000.0, 2000.0));
        for max in [0.4, 1.0, 3.0, 7.0, 99.0, 5459.0, 56_411.0, 316_323.0] {
            let (top, step) = nice_scale(max);
            assert!(top >= max && top < max * 2.6 + 1.0, "{max}: {top}");
            assert!(step >= 1.0 && (top / step).round() <= 5.0, "{max}: {step}");
            assert_eq!(ticks(top, step).next(), Some(0.0));
            assert_eq!(ticks(top, step).last(), Some(top));
        }
        assert_eq!(nice_scale(0.0), (1.0, 1.0));
        assert_eq!(nice_scale(f64::NAN), (1.0, 1.0));
    }
}
