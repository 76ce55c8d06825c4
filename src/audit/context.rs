//! What the audit knows of one document: its key (department, year), the
//! value it gives for each metric, its indicator rows and line items.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::figures::{Selected, document_keys, select_metrics};
use crate::record::{FigureRecord, IndicatorRecord, LineItemRecord, Record, Status};

pub(super) struct DocCtx<'a> {
    pub doc_id: &'a str,
    pub department: Option<&'a str>,
    pub year: Option<i32>,
    /// The form a form- or indicator-scope context is of (`None` for a document).
    pub form: Option<u32>,
    /// How many standard forms the document holds.
    pub forms: usize,
    pub metrics: BTreeMap<String, Selected<'a>>,
    pub indicators: Vec<&'a IndicatorRecord>,
    pub items: Vec<&'a LineItemRecord>,
}

/// One context per document that was read, in input order; documents that
/// failed are left out, findings in the input ignored (the audit recomputes).
pub(super) fn build_contexts(records: &[Record]) -> Vec<DocCtx<'_>> {
    let keys = document_keys(records);
    let failed: HashSet<&str> = records
        .iter()
        .filter_map(|r| match r {
            Record::Document(d) if d.status != Status::Ok => Some(d.doc_id.as_str()),
            _ => None,
        })
        .collect();
    let mut order: Vec<&str> = Vec::new();
    let mut figs: HashMap<&str, Vec<&FigureRecord>> = HashMap::new();
    let mut inds: HashMap<&str, Vec<&IndicatorRecord>> = HashMap::new();
    let mut items: HashMap<&str, Vec<&LineItemRecord>> = HashMap::new();
    let mut forms: HashMap<&str, usize> = HashMap::new();
    for r in records {
        let id = match r {
            Record::Document(d) => d.doc_id.as_str(),
            Record::Form(f) => {
                *forms.entry(&f.doc_id).or_default() += 1;
                f.doc_id.as_str()
            }
            Record::Figure(f) => {
                figs.entry(&f.doc_id).or_default().push(f);
                &f.doc_id
            }
            Record::Indicator(i) => {
                inds.entry(&i.doc_id).or_default().push(i);
                &i.doc_id
            }
            Record::LineItem(l) => {
                items.entry(&l.doc_id).or_default().push(l);
                &l.doc_id
            }
            Record::Finding(_) => continue,
        };
        if !order.contains(&id) {
            order.push(id);
        }
    }
    order
        .into_iter()
        .filter(|id| !failed.contains(id))
        .map(|id| {
            let f = figs.remove(id).unwrap_or_default();
            let (kdep, kyear) = keys.get(id).copied().unwrap_or((None, None));
            let department = kdep.or_else(|| f.iter().find_map(|x| x.department.as_deref()));
            let year = kyear.or_else(|| f.iter().find_map(|x| x.year));
            DocCtx {
                doc_id: id,
                department,
                year,
                form: None,
                forms: forms.get(id).copied().unwrap_or(0),
                metrics: select_metrics(f),
                indicators: inds.remove(id).unwrap_or_default(),
                items: items.remove(id).unwrap_or_default(),
            }
        })
        .collect()
}
