//! Optional content: which layers are switched off, so their text is not extracted.
//!
//! Adapted from hayro-interpret 0.9 `ocg.rs` (MIT OR Apache-2.0, Laurenz Stampfl): the
//! default configuration's /BaseState, /ON and /OFF decide the inactive groups; an OCMD's
//! /P policy combines its groups.

use std::collections::HashSet;

use hayro_syntax::object::dict::keys::{BASE_STATE, D, OCGS, OCPROPERTIES, OFF, ON, P, TYPE};
use hayro_syntax::object::{Array, Dict, Name, ObjectIdentifier};

/// Inactive optional-content groups of a document (empty for nearly every PDF).
#[derive(Default)]
pub(crate) struct Ocg {
    inactive: HashSet<ObjectIdentifier>,
}

impl Ocg {
    pub(crate) fn from_catalog(catalog: &Dict<'_>) -> Self {
        let mut inactive = HashSet::new();
        let Some(props) = catalog.get::<Dict<'_>>(OCPROPERTIES) else {
            return Self { inactive };
        };
        let Some(config) = props.get::<Dict<'_>>(D) else {
            return Self { inactive };
        };
        let refs = |arr: Option<Array<'_>>| -> Vec<ObjectIdentifier> {
            arr.map(|a| {
                a.raw_iter()
                    .filter_map(|item| item.as_obj_ref().map(Into::into))
                    .collect()
            })
            .unwrap_or_default()
        };
        if config.get::<Name<'_>>(BASE_STATE).as_deref() == Some(b"OFF") {
            inactive.extend(refs(props.get::<Array<'_>>(OCGS)));
        }
        for id in refs(config.get::<Array<'_>>(ON)) {
            inactive.remove(&id);
        }
        inactive.extend(refs(config.get::<Array<'_>>(OFF)));
        Self { inactive }
    }

    /// Nothing is hidden: callers skip all optional-content bookkeeping.
    pub(crate) fn all_visible(&self) -> bool {
        self.inactive.is_empty()
    }

    /// Is the group or membership dictionary `props` (object `id`) switched on?
    pub(crate) fn is_active(&self, props: &Dict<'_>, id: Option<ObjectIdentifier>) -> bool {
        if props.get::<Name<'_>>(TYPE).as_deref() != Some(b"OCMD") {
            return id.is_none_or(|id| !self.inactive.contains(&id));
        }
        let mut ids: Vec<ObjectIdentifier> = Vec::new();
        if let Some(arr) = props.get::<Array<'_>>(OCGS) {
            ids.extend(
                arr.raw_iter()
                    .filter_map(|i| i.as_obj_ref().map(ObjectIdentifier::from)),
            );
        } else if let Some(r) = props.get_ref(OCGS) {
            ids.push(r.into());
        }
        if ids.is_empty() {
            return true;
        }
        let on = |id: &ObjectIdentifier| !self.inactive.contains(id);
        match props.get::<Name<'_>>(P).as_deref() {
            Some(b"AllOn") => ids.iter().all(on),
            Some(b"AnyOff") => ids.iter().any(|i| !on(i)),
            Some(b"AllOff") => ids.iter().all(|i| !on(i)),
            _ => ids.iter().any(on),
        }
    }
}
