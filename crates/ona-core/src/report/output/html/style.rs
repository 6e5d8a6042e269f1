//! The page's stylesheet: screen, and print on A4 (the browser's “Save as PDF”): charts and tiles
//! are never split across pages, headings stay with what follows, colours print as on screen.

/// The CSS of the page.
pub(super) const CSS: &str = "\
*{box-sizing:border-box}\
body{font-family:'DejaVu Sans',system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;margin:32px auto;max-width:920px;padding:0 16px;color:#1a1a1a;background:#fff;line-height:1.4;-webkit-print-color-adjust:exact;print-color-adjust:exact}\
h1{font-size:27px;margin:0 0 4px}\
h2{font-size:19px;margin-top:34px;border-bottom:2px solid #1a1a1a;padding-bottom:4px;break-after:avoid}\
h3{font-size:15px;margin:14px 0 4px;break-after:avoid}\
.meta{color:#444;font-size:14px;margin:2px 0}\
.tiles{display:grid;grid-template-columns:repeat(3,1fr);gap:12px;margin-bottom:12px}.tiles.shares{grid-template-columns:repeat(4,1fr)}\
.tile{background:#f5f5f5;border-left:7px solid #4d4d4d;padding:10px 14px;border-radius:3px;break-inside:avoid}\
.tile b{display:block;font-size:26px}.tile b em.ci{display:block;font-size:14px;font-weight:normal;font-style:normal;color:#333}\
.tile span{display:block;font-size:14px;color:#333}\
.tile small{display:block;font-size:12.5px;color:#444;margin-top:2px}\
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:10px 22px}\
figure{margin:0;break-inside:avoid}\
figcaption{font-weight:bold;font-size:14px;margin:10px 0 2px}\
svg{display:block;max-width:100%;height:auto}\
.key{display:inline-block;margin-right:18px;font-size:13px;color:#333}\
.key i{display:inline-block;width:14px;height:12px;margin-right:6px;vertical-align:-1px;border:1px solid #bbb}\
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0 4px;break-inside:auto}\
th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:right;vertical-align:top}\
th:first-child,td:first-child{text-align:left}\
thead th{border-bottom:2px solid #888;font-weight:600}\
tr{break-inside:avoid}\
td.partial{background:#eeeeee;color:#555}\
tr.total td{font-weight:bold;border-top:2px solid #888}\
td.centre{padding-left:22px}\
dl{font-size:13.5px}\
dt{font-weight:600;margin-top:8px;font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:12.5px}\
dd{margin:2px 0 0 0}\
.note{color:#333;font-size:13.5px}\
@page{size:A4;margin:14mm 12mm}\
@media print{body{margin:0;max-width:none;padding:0;font-size:12px}h1{font-size:22px}h2{font-size:16px;margin-top:20px}\
.tile b{font-size:20px}table{font-size:11px}section.definitions{break-before:page}}\
";
