//! Which files a run reads: the report files under the given paths (folders
//! recursively), sorted and without duplicates, and optionally one machine's
//! share of them ([`Shard`]), chosen by a hash of each file's path relative to
//! the path it was found under, so machines that mount an archive in
//! different places still agree on who reads what, without talking.

use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use sha2::{Digest, Sha256};

use crate::source::Format;

/// A problem with an input path itself (not with a document inside it).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{0}: no such file or directory")]
    Missing(PathBuf),
    #[error("{path}: cannot list directory: {message}")]
    Unreadable { path: PathBuf, message: String },
}

/// Share `index` of `count` (1-based, as `--shard I/N` writes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

#[derive(Debug, thiserror::Error)]
#[error("takes I/N, this machine's share I of N shares with 1 <= I <= N, not `{0}`")]
pub struct BadShard(String);

impl FromStr for Shard {
    type Err = BadShard;
    fn from_str(s: &str) -> Result<Shard, BadShard> {
        let bad = || BadShard(s.to_string());
        let (index, count) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = index.trim().parse().map_err(|_| bad())?;
        let count: u64 = count.trim().parse().map_err(|_| bad())?;
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether a file whose path relative to its root is `key` is this share's:
    /// the first 8 bytes of sha256(`key`), big-endian, modulo N equal I − 1.
    /// (A script can compute the same with `hashlib`; see the README.)
    pub fn keeps(&self, key: &str) -> bool {
        let digest = Sha256::digest(key.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % self.count == self.index - 1
    }
}

/// Every report file under `paths` (folders recursively), sorted, plus the
/// paths that could not be used.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputError>) {
    collect_share(paths, None)
}

/// [`collect_inputs`], keeping only `shard`'s share when one is given. The
/// whole list is made first, so a file reached under two roots is still read
/// by exactly one share.
pub fn collect_share(paths: &[PathBuf], shard: Option<Shard>) -> (Vec<PathBuf>, Vec<InputError>) {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if !path.exists() && !path.is_symlink() {
            problems.push(InputError::Missing(path.clone()));
        } else if path.is_dir() {
            for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
                match entry {
                    // Symlinks are listed too: a dangling one must become an error
                    // record, not vanish; so are FIFOs, sockets and devices, which
                    // become `not_a_file` records without being opened.
                    Ok(e) if !e.file_type().is_dir() && Format::from_path(e.path()).is_some() => {
                        let key = shard_key(e.path().strip_prefix(path).unwrap_or(e.path()));
                        files.push((e.into_path(), key));
                    }
                    Ok(_) => {}
                    Err(e) => problems.push(InputError::Unreadable {
                        path: e.path().unwrap_or(path).to_path_buf(),
                        message: e.to_string(),
                    }),
                }
            }
        } else {
            // A file named explicitly is read whatever its extension (as text
            // unless it says PDF), so a user always gets a record for it.
            files.push((path.clone(), shard_key(path)));
        }
    }
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    let files = files
        .into_iter()
        .filter(|(_, key)| shard.is_none_or(|s| s.keeps(key)))
        .map(|(path, _)| path)
        .collect();
    (files, problems)
}

/// A path as the shards hash it: its normal components joined by `/`, so
/// `./a//b.txt` and `a/b.txt` are one key on every platform.
fn shard_key(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_read_as_written_and_checked() {
        assert_eq!(
            "2/3".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 3 }
        );
        for bad in ["0/3", "4/3", "1", "a/3", "1/0", "-1/3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_key_is_in_exactly_one_share() {
        for key in ["a.txt", "2022/form.pdf", "深圳/报告.txt", ""] {
            let owners = (1..=5)
                .filter(|i| {
                    Shard {
                        index: *i,
                        count: 5,
                    }
                    .keeps(key)
                })
                .count();
            assert_eq!(owners, 1, "{key}");
        }
    }

    #[test]
    fn keys_ignore_how_the_path_is_spelt() {
        assert_eq!(shard_key(Path::new("./a//b.txt")), "a/b.txt");
        assert_eq!(shard_key(Path::new("a/b.txt")), "a/b.txt");
    }
}
