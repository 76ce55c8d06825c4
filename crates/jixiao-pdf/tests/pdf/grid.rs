//! Ruled tables → rows: cells read through their borders, wrapped cell text joined,
//! a cell without a top border merged into the one above.

use jixiao_pdf::{Limits, extract, grid};

use crate::common::{build_pdf, stream};

/// Three rows of three columns between borders at x = 50, 200, 350, 500 and
/// y = 700, 670, 640, 610; the border at y = 640 leaves out the first column, so
/// its cell spans the last two rows.
const TABLE: &str = "0.5 w
50 700 m 500 700 l S 50 670 m 500 670 l S 200 640 m 500 640 l S 50 610 m 500 610 l S
50 610 m 50 700 l S 200 610 m 200 700 l S 350 610 m 350 700 l S 500 610 m 500 700 l S
BT /F1 10 Tf 1 0 0 1 60 682 Tm (Name) Tj ET
BT /F1 10 Tf 1 0 0 1 210 682 Tm (Target) Tj ET
BT /F1 10 Tf 1 0 0 1 360 682 Tm (Actual) Tj ET
BT /F1 10 Tf 1 0 0 1 60 658 Tm (Area) Tj ET
BT /F1 10 Tf 1 0 0 1 210 658 Tm (2753) Tj ET
BT /F1 10 Tf 1 0 0 1 210 646 Tm (5.69) Tj ET
BT /F1 10 Tf 1 0 0 1 360 658 Tm (done) Tj ET
BT /F1 10 Tf 1 0 0 1 60 622 Tm (more) Tj ET
BT /F1 10 Tf 1 0 0 1 210 622 Tm (Speed) Tj ET
BT /F1 10 Tf 1 0 0 1 360 622 Tm (ok) Tj ET
BT /F1 10 Tf 1 0 0 1 60 560 Tm (After the table) Tj ET";

#[test]
fn ruled_table_rows_are_read_cell_by_cell() {
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        stream("", TABLE.as_bytes()),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ];
    let doc = extract(&build_pdf(&objs), &Limits::default()).unwrap();
    let lines = grid::document_lines(&doc.pages);
    let texts: Vec<&str> = lines[0].iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Name\tTarget\tActual",
            // The number wraps inside its cell and is joined without a space; the
            // word below "Area" has no border above it, so it belongs to this row.
            "Area more\t27535.69\tdone",
            "\tSpeed\tok",
            "After the table",
        ]
    );
    assert!(lines[0].iter().all(|l| !l.furniture));
}
