//! The problems of a validation as an Excel workbook, for the people who fix the records and do
//! not read JSON: one row per problem (line, JSON Pointer, code, message in their language).
//!
//! Every problem is written: past the row limit of a sheet (1,048,576 rows), the list goes on
//! in a second sheet, never cut. Text is written as text, never as a formula, so a value that a
//! record's author made look like one (`=HYPERLINK(…)`) is shown, not run when the file opens.

use super::problem::Problem;
use crate::schema::Lang;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// Data rows per sheet: Excel's limit of 1,048,576 rows less the header row.
const ROWS_PER_SHEET: u32 = 1_048_575;

/// The words of the workbook in one language: sheet name, then the four column headers.
struct Words {
    sheet: &'static str,
    line: &'static str,
    pointer: &'static str,
    code: &'static str,
    message: &'static str,
}

fn words(lang: Lang) -> Words {
    let w = |sheet, line, pointer, code, message| Words { sheet, line, pointer, code, message };
    match lang {
        Lang::En => w("Problems", "Line", "Pointer", "Code", "Message"),
        Lang::Ru => w("Проблемы", "Строка", "Указатель", "Код", "Сообщение"),
        Lang::Kk => w("Мәселелер", "Жол", "Көрсеткіш", "Код", "Хабарлама"),
        Lang::Uz => w("Muammolar", "Qator", "Ko'rsatkich", "Kod", "Xabar"),
        Lang::Uk => w("Проблеми", "Рядок", "Вказівник", "Код", "Повідомлення"),
        Lang::Ms => w("Masalah", "Baris", "Penuding", "Kod", "Mesej"),
        Lang::Tr => w("Sorunlar", "Satır", "İşaretçi", "Kod", "İleti"),
    }
}

/// The columns, in order.
#[derive(Clone, Copy)]
enum Column {
    Line,
    Pointer,
    Code,
    Message,
}

impl Column {
    const ALL: [Column; 4] = [Column::Line, Column::Pointer, Column::Code, Column::Message];

    fn index(self) -> u16 {
        match self {
            Column::Line => 0,
            Column::Pointer => 1,
            Column::Code => 2,
            Column::Message => 3,
        }
    }

    fn header(self, w: &Words) -> &'static str {
        match self {
            Column::Line => w.line,
            Column::Pointer => w.pointer,
            Column::Code => w.code,
            Column::Message => w.message,
        }
    }

    fn width(self) -> f64 {
        match self {
            Column::Line => 8.0,
            Column::Pointer => 32.0,
            Column::Code => 24.0,
            Column::Message => 80.0,
        }
    }
}

/// A workbook of problems being filled, record by record, in the order they are found.
pub struct ProblemWorkbook {
    lang: Lang,
    book: Workbook,
    /// Sheets made so far.
    sheets: usize,
    /// The next data row of the current sheet (1 = just under the header).
    row: u32,
    /// Problems written.
    written: u64,
}

impl ProblemWorkbook {
    /// An empty workbook whose headers and messages are in `lang`.
    pub fn new(lang: Lang) -> Result<ProblemWorkbook, XlsxError> {
        let mut p = ProblemWorkbook { lang, book: Workbook::new(), sheets: 0, row: 0, written: 0 };
        p.new_sheet()?;
        Ok(p)
    }

    fn new_sheet(&mut self) -> Result<(), XlsxError> {
        let w = words(self.lang);
        self.sheets += 1;
        let name = if self.sheets == 1 {
            w.sheet.to_string()
        } else {
            format!("{} {}", w.sheet, self.sheets)
        };
        let bold = Format::new().set_bold();
        let ws = self.book.add_worksheet();
        ws.set_name(name)?;
        for c in Column::ALL {
            ws.write_string_with_format(0, c.index(), c.header(&w), &bold)?;
            ws.set_column_width(c.index(), c.width())?;
        }
        ws.set_freeze_panes(1, 0)?;
        self.row = 1;
        Ok(())
    }

    fn sheet(&mut self) -> Result<&mut Worksheet, XlsxError> {
        let last = self.sheets - 1;
        self.book.worksheet_from_index(last)
    }

    /// Adds the problems of the record on `line` (1-based line of the input).
    pub fn add(&mut self, line: u64, problems: &[Problem]) -> Result<(), XlsxError> {
        for p in problems {
            if self.row > ROWS_PER_SHEET {
                self.new_sheet()?;
            }
            let (row, lang) = (self.row, self.lang);
            let at = if p.pointer.is_empty() { "/" } else { p.pointer.as_str() };
            let ws = self.sheet()?;
            // A line number past 2^53 is not a thing a file has; f64 holds every real one.
            ws.write_number(row, Column::Line.index(), line as f64)?;
            ws.write_string(row, Column::Pointer.index(), at)?;
            ws.write_string(row, Column::Code.index(), p.code.id())?;
            ws.write_string(row, Column::Message.index(), p.message(lang))?;
            self.row += 1;
            self.written += 1;
        }
        Ok(())
    }

    /// Problems added so far.
    pub fn problems(&self) -> u64 {
        self.written
    }

    /// The workbook as XLSX bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        let rows = self.row.saturating_sub(1);
        if rows > 0 {
            let last_col = Column::Message.index();
            self.sheet()?.autofilter(0, 0, rows, last_col)?;
        }
        self.book.save_to_buffer()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::validate_json;
    use std::io::Read;

    /// The text of one part of the XLSX package (a ZIP file).
    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut s = String::new();
        zip.by_name(name).expect(name).read_to_string(&mut s).expect("text");
        s
    }

    fn problems_of(json: &str) -> Vec<Problem> {
        validate_json(json).expect_err("invalid").problems
    }

    #[test]
    fn each_problem_is_a_row_with_its_message_in_the_language() {
        let ps = problems_of(r#"{"schema_version": "1.0", "status": "nope"}"#);
        assert!(ps.len() > 1, "{ps:?}");
        let mut book = ProblemWorkbook::new(Lang::Ru).expect("book");
        book.add(7, &ps).expect("add");
        assert_eq!(book.problems(), ps.len() as u64);
        let bytes = book.finish().expect("bytes");
        let strings = part(&bytes, "xl/sharedStrings.xml");
        for p in &ps {
            let msg = p.message(Lang::Ru);
            let esc = msg.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            assert!(strings.contains(&esc), "{msg} not in the workbook");
            assert!(strings.contains(p.code.id()));
        }
        assert!(strings.contains("Сообщение"));
        let book = part(&bytes, "xl/workbook.xml");
        assert!(book.contains("name=\"Проблемы\""), "{book}");
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        // The header and one row per problem, each starting with the line number.
        assert_eq!(sheet.matches("<row ").count(), ps.len() + 1);
        for r in 2..ps.len() + 2 {
            assert!(sheet.contains(&format!("<c r=\"A{r}\"><v>7</v></c>")), "row {r}: {sheet}");
        }
    }

    #[test]
    fn a_value_made_to_look_like_a_formula_is_written_as_text() {
        // The attacker: someone who can put text in a record that a colleague will open in
        // Excel. The message quotes the value; the cell must hold it as text, not a formula.
        let value = "=HYPERLINK(\"http://x\",\"y\")";
        let ps = vec![Problem::new("/mother/sex", super::super::ProblemCode::UnknownCode)
            .with("value", value)
            .with("list", "sex")];
        assert!(ps[0].message(Lang::En).contains(value), "{}", ps[0].message(Lang::En));
        let mut book = ProblemWorkbook::new(Lang::En).expect("book");
        book.add(1, &ps).expect("add");
        let bytes = book.finish().expect("bytes");
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(!sheet.contains("<f>"), "a formula was written: {sheet}");
    }
}
