//! Reading an export into tables of cells: CSV (any of the supported encodings), workbooks
//! (`calamine`: XLSX, XLS, ODS) and ZIP archives of CSV files.

use super::error::ImportError;
use super::mapping::{SourceFormat, SourceOptions};
use crate::schema::Date;
use std::io::Read;
use std::path::Path;

/// One cell of an export, typed as the file gave it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing in the cell.
    Empty,
    /// Text (all CSV cells are text).
    Text(String),
    /// A number (workbooks only).
    Number(f64),
    /// A boolean (workbooks only).
    Bool(bool),
    /// A cell the workbook formats as a date, already converted with the workbook's own epoch.
    Date(Date),
}

impl Cell {
    /// The cell as the text a person sees (numbers without a needless `.0`).
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }

    /// Whether the cell holds nothing (or only spaces).
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A table of an export: a header row and data rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet or file name the table came from.
    pub name: String,
    /// The column names (first row).
    pub headers: Vec<String>,
    /// The data rows; each has exactly as many cells as there are headers.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The position of a column by name (exact match first, then ignoring case and spaces).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name).or_else(|| {
            let want = name.trim().to_lowercase();
            self.headers.iter().position(|h| h.trim().to_lowercase() == want)
        })
    }

    /// The spreadsheet row number of data row `index` (the header is row 1).
    pub fn row_number(index: usize) -> usize {
        index + 2
    }
}

/// Every table of an export, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// The tables.
    pub tables: Vec<Table>,
}

impl Export {
    /// Reads the export at `path` as `options.format` says.
    pub fn read(path: &Path, options: &SourceOptions) -> Result<Export, ImportError> {
        let src = |e: String| ImportError::Source(format!("{}: {e}", path.display()));
        match options.format {
            SourceFormat::Csv => {
                let bytes = std::fs::read(path).map_err(|e| src(e.to_string()))?;
                let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("csv").to_string();
                Ok(Export { tables: vec![read_csv(&name, &bytes, options).map_err(src)?] })
            }
            SourceFormat::Zip => {
                let file = std::fs::File::open(path).map_err(|e| src(e.to_string()))?;
                let mut zip = zip::ZipArchive::new(file).map_err(|e| src(e.to_string()))?;
                let mut tables = Vec::new();
                for i in 0..zip.len() {
                    let mut entry = zip.by_index(i).map_err(|e| src(e.to_string()))?;
                    if entry.is_dir() || !entry.name().to_lowercase().ends_with(".csv") {
                        continue;
                    }
                    let name = entry.name().to_string();
                    let mut bytes = Vec::new();
                    entry.read_to_end(&mut bytes).map_err(|e| src(format!("{name}: {e}")))?;
                    tables.push(read_csv(&name, &bytes, options).map_err(src)?);
                }
                Ok(Export { tables })
            }
            SourceFormat::Xlsx => read_workbook(path).map_err(src),
            SourceFormat::Dhis2 => {
                let bytes = std::fs::read(path).map_err(|e| src(e.to_string()))?;
                Ok(Export { tables: super::dhis2::read_dhis2(&bytes).map_err(src)? })
            }
        }
    }

    /// The table named `name` (exact, then ignoring case and a `.csv` ending and folders).
    pub fn table(&self, name: &str) -> Option<&Table> {
        let short = |s: &str| {
            let s = s.rsplit('/').next().unwrap_or(s).to_lowercase();
            s.strip_suffix(".csv").map(str::to_string).unwrap_or(s)
        };
        self.tables
            .iter()
            .find(|t| t.name == name)
            .or_else(|| self.tables.iter().find(|t| short(&t.name) == short(name)))
    }
}

/// Decodes CSV bytes (BOM first, else the named encoding) and reads them as a table.
pub fn read_csv(name: &str, bytes: &[u8], options: &SourceOptions) -> Result<Table, String> {
    let encoding = encoding_rs::Encoding::for_label(options.encoding.as_bytes())
        .ok_or_else(|| format!("unknown text encoding {:?}", options.encoding))?;
    let (text, used, malformed) = encoding.decode(bytes);
    if malformed {
        return Err(format!("{name} is not valid {} text", used.name()));
    }
    let delimiter = match options.delimiter.as_bytes() {
        [b] => *b,
        b"\\t" => b'\t',
        _ => return Err(format!("delimiter {:?} is not one ASCII character", options.delimiter)),
    };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(false).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("{name}: {e}"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{name}: {e}"))?;
        rows.push(
            record
                .iter()
                .map(|v| if v.is_empty() { Cell::Empty } else { Cell::Text(v.to_string()) })
                .collect(),
        );
    }
    Ok(Table { name: name.to_string(), headers, rows })
}

fn read_workbook(path: &Path) -> Result<Export, String> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto(path).map_err(|e| e.to_string())?;
    let mut tables = Vec::new();
    for sheet in book.sheet_names() {
        let range = book.worksheet_range(&sheet).map_err(|e| format!("sheet {sheet:?}: {e}"))?;
        let mut rows = range.rows();
        let headers: Vec<String> = match rows.next() {
            Some(h) => h.iter().map(|c| c.to_string().trim().to_string()).collect(),
            None => Vec::new(),
        };
        let width = headers.len();
        let mut data = Vec::new();
        for row in rows {
            let mut cells: Vec<Cell> = row
                .iter()
                .take(width)
                .map(|c| match c {
                    Data::Empty => Cell::Empty,
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Bool(b) => Cell::Bool(*b),
                    Data::DateTime(dt) if dt.is_datetime() => {
                        let (y, m, d, ..) = dt.to_ymd_hms_milli();
                        Date::new(i32::from(y), m, d)
                            .map(Cell::Date)
                            .unwrap_or(Cell::Number(dt.as_f64()))
                    }
                    Data::DateTime(dt) => Cell::Number(dt.as_f64()),
                    Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
                    Data::Error(e) => Cell::Text(format!("#{e:?}")),
                })
                .collect();
            cells.resize(width, Cell::Empty);
            if cells.iter().all(Cell::is_empty) {
                continue;
            }
            data.push(cells);
        }
        tables.push(Table { name: sheet, headers, rows: data });
    }
    Ok(Export { tables })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(encoding: &str) -> SourceOptions {
        SourceOptions { encoding: encoding.into(), ..SourceOptions::default() }
    }

    #[test]
    fn reads_windows_1251_and_utf8_with_bom() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Имя,Город\nОксана,Київ\n");
        let t = read_csv("x", &bytes, &opts("windows-1251")).unwrap();
        assert_eq!(t.headers, ["Имя", "Город"]);
        assert_eq!(t.rows[0][1], Cell::Text("Київ".into()));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("Ad,Şehir\nAyşe,İstanbul\n".as_bytes());
        // The BOM wins over a wrong declared encoding, and is not part of the first header.
        let t = read_csv("x", &bom, &opts("windows-1254")).unwrap();
        assert_eq!(t.headers[0], "Ad");
        assert_eq!(t.rows[0][1], Cell::Text("İstanbul".into()));
    }

    #[test]
    fn windows_1254_turkish_letters() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1254.encode("ad\nĞülşen Işık\n");
        let t = read_csv("x", &bytes, &opts("windows-1254")).unwrap();
        assert_eq!(t.rows[0][0], Cell::Text("Ğülşen Işık".into()));
    }

    #[test]
    fn malformed_utf8_and_ragged_rows_are_errors() {
        assert!(read_csv("x", b"a\n\xff\xfe\x00", &opts("utf-8")).unwrap_err().contains("UTF-8"));
        assert!(read_csv("x", b"a,b\n1,2,3\n", &opts("utf-8")).is_err());
    }
}
