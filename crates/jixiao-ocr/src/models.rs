//! The models folder (where it is looked for, what it holds), ONNX Runtime
//! loaded from it once per process, and the model sessions: one set per thread
//! that is reading a page, kept for the next page.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ort::environment::Environment;
use ort::session::Session;

use crate::OcrError;

/// The environment variable that names the models folder (it then is the only
/// place looked at).
pub const DIR_VARIABLE: &str = "JIXIAO_OCR_DIR";

/// The text detector (DB), the direction classifier and the recogniser of
/// PaddleOCR PP-OCRv4, as the `rapidocr_onnxruntime` wheel ships them.
pub const DETECTOR: &str = "ch_PP-OCRv4_det_infer.onnx";
/// See [`DETECTOR`].
pub const CLASSIFIER: &str = "ch_ppocr_mobile_v2.0_cls_infer.onnx";
/// See [`DETECTOR`]; its character list is in the model's metadata (`character`).
pub const RECOGNIZER: &str = "ch_PP-OCRv4_rec_infer.onnx";
/// ONNX Runtime's shared library, from the `onnxruntime` wheel.
pub const RUNTIME: &str = "libonnxruntime.so";

/// How to install what is missing, for error messages.
pub const INSTALL_HINT: &str = "run `make ocr` in the jixiao checkout (it installs ONNX Runtime and the PP-OCRv4 models from PyPI into models/ocr), or set JIXIAO_OCR_DIR to a folder holding them";

/// The folders looked at, in order: `$JIXIAO_OCR_DIR` alone when it is set;
/// otherwise `models/ocr` under the working directory, `models/ocr` of the
/// checkout a binary in `target/<profile>/` was built in, and
/// `~/.local/share/jixiao/ocr`.
pub fn search_path() -> Vec<PathBuf> {
    if let Some(dir) = std::env::var_os(DIR_VARIABLE).filter(|d| !d.is_empty()) {
        return vec![PathBuf::from(dir)];
    }
    let mut dirs = vec![PathBuf::from("models/ocr")];
    if let Ok(exe) = std::env::current_exe()
        && let Some(checkout) = exe.parent().and_then(Path::parent).and_then(Path::parent)
    {
        dirs.push(checkout.join("models/ocr"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".local/share/jixiao/ocr"));
    }
    dirs
}

/// The first folder of the search path that holds every file.
pub fn find() -> Result<PathBuf, OcrError> {
    let dirs = search_path();
    dirs.iter()
        .find(|d| {
            [RUNTIME, DETECTOR, CLASSIFIER, RECOGNIZER]
                .iter()
                .all(|f| d.join(f).is_file())
        })
        .cloned()
        .ok_or_else(|| {
            let looked: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            OcrError::Unavailable(format!(
                "OCR models not found (looked in {}): {INSTALL_HINT}",
                looked.join(", ")
            ))
        })
}

/// ONNX Runtime, loaded once per process from the first folder asked for.
fn environment(dir: &Path) -> Result<&'static Environment, OcrError> {
    static ENVIRONMENT: OnceLock<Result<Environment, String>> = OnceLock::new();
    ENVIRONMENT
        .get_or_init(|| {
            let runtime = dir.join(RUNTIME);
            ort::init_from(&runtime)
                .map_err(|e| format!("cannot load {}: {e}", runtime.display()))?
                .with_name("jixiao")
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| OcrError::Unavailable(format!("{e}: {INSTALL_HINT}")))
}

/// One thread's sessions of the three models.
pub(crate) struct Sessions {
    pub det: Session,
    pub cls: Session,
    pub rec: Session,
}

/// The models of one folder: their sessions, lent to one page at a time.
pub(crate) struct Models {
    dir: PathBuf,
    idle: Mutex<Vec<Sessions>>,
    /// The recogniser's output classes: CTC blank, its characters, a space.
    pub charset: Vec<String>,
}

impl Models {
    /// Loads ONNX Runtime and a first set of sessions (which also checks the files).
    pub(crate) fn load(dir: &Path) -> Result<Models, OcrError> {
        let first = open(dir)?;
        let listed = first
            .rec
            .metadata()
            .ok()
            .and_then(|m| m.custom("character"))
            .ok_or_else(|| {
                OcrError::Unavailable(format!(
                    "{RECOGNIZER} has no character list in its metadata"
                ))
            })?;
        let mut charset = vec![String::new()];
        charset.extend(listed.lines().map(str::to_string));
        charset.push(" ".into());
        Ok(Models {
            dir: dir.to_path_buf(),
            idle: Mutex::new(vec![first]),
            charset,
        })
    }

    /// Runs `work` with a set of sessions: an idle one, or a new one when every
    /// set is in use by another thread.
    pub(crate) fn with<T>(
        &self,
        work: impl FnOnce(&mut Sessions) -> Result<T, OcrError>,
    ) -> Result<T, OcrError> {
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut sessions = match idle {
            Some(s) => s,
            None => open(&self.dir)?,
        };
        let result = work(&mut sessions);
        self.idle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(sessions);
        result
    }
}

/// Sessions of the three models, each on one thread: pages run in parallel
/// across documents, not inside one model.
fn open(dir: &Path) -> Result<Sessions, OcrError> {
    let env = environment(dir)?;
    let session = |name: &str| -> Result<Session, OcrError> {
        let path = dir.join(name);
        let failed =
            |e: ort::Error| OcrError::Unavailable(format!("cannot load {}: {e}", path.display()));
        Session::builder(env)
            .map_err(failed)?
            .with_intra_threads(1)
            .map_err(|e| failed(e.into()))?
            .with_inter_threads(1)
            .map_err(|e| failed(e.into()))?
            .commit_from_file(&path)
            .map_err(failed)
    };
    Ok(Sessions {
        det: session(DETECTOR)?,
        cls: session(CLASSIFIER)?,
        rec: session(RECOGNIZER)?,
    })
}
