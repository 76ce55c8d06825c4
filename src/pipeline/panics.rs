//! Panics inside one document: caught where the document is processed, named
//! by the document they happened in, and reported on one line of standard
//! error instead of Rust's default panic output (which, with backtraces on,
//! fills a screen in the middle of a run's summary).

use std::any::Any;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, PanicHookInfo, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Once;

thread_local! {
    /// The document this thread is processing, while it is.
    static CURRENT: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
}

/// Runs `work` on the document at `path`; a panic becomes `Err(message)`.
pub(crate) fn within_document<T>(path: &Path, work: impl FnOnce() -> T) -> Result<T, String> {
    let previous = CURRENT.with(|c| c.replace(Some(path.to_path_buf())));
    let result = catch_unwind(AssertUnwindSafe(|| {
        injected_fault(path);
        work()
    }));
    CURRENT.with(|c| *c.borrow_mut() = previous);
    result.map_err(|payload| payload_message(payload.as_ref()))
}

/// Debug builds only (the tests' builds): a panic inside the document whose
/// file name `JIXIAO_FAULT_PANIC` gives, so the tests can watch how a panic is
/// reported. Release builds have no such switch.
#[cfg(debug_assertions)]
fn injected_fault(path: &Path) {
    let named = std::env::var_os("JIXIAO_FAULT_PANIC");
    if named.is_some_and(|name| path.file_name() == Some(name.as_os_str())) {
        panic!("fault injected by JIXIAO_FAULT_PANIC");
    }
}

#[cfg(not(debug_assertions))]
fn injected_fault(_path: &Path) {}

/// The text a panic was raised with.
pub(crate) fn payload_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// From now on, a panic inside a document prints one line on standard error
/// (`jixiao: PATH: panicked at FILE:LINE: MESSAGE`); the document still
/// becomes a `panic` error record with the message. Panics anywhere else keep
/// the hook that was installed before. Programs embedding the library choose
/// whether to call this; the command line does.
pub fn report_document_panics_on_one_line() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| match current_document() {
            Some(path) => eprintln!("{}", one_line(&path, info)),
            None => previous(info),
        }));
    });
}

fn current_document() -> Option<PathBuf> {
    // `try_with`: a panic while thread-locals are torn down has no document.
    CURRENT
        .try_with(|c| c.try_borrow().ok().and_then(|p| p.clone()))
        .ok()
        .flatten()
}

fn one_line(path: &Path, info: &PanicHookInfo<'_>) -> String {
    let place = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    let message = payload_message(info.payload()).replace('\n', " ");
    format!("jixiao: {}: panicked{place}: {message}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_the_document_is_forgotten_after() {
        let result: Result<(), String> =
            within_document(Path::new("a.txt"), || panic!("index {} out of range", 3));
        assert_eq!(result, Err("index 3 out of range".to_string()));
        assert_eq!(current_document(), None);
        assert_eq!(within_document(Path::new("b.txt"), || 7), Ok(7));
    }
}
