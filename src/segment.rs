//! Word segmentation (jieba-rs with the domain dictionary from `rules/`): built
//! once per run and shared by every worker thread.
//!
//! It serves two things rules need: the `label` of a figure (the subject phrase
//! before it, cut at word boundaries) and keyword context (a keyword counts only
//! when it stands on word boundaries). Only those short texts are segmented,
//! never whole documents: segmentation is the most expensive step per character.

use jieba_rs::Jieba;

pub struct Segmenter {
    jieba: Jieba,
}

/// Words that join a subject to its figure and belong to neither.
const FILLERS: &[&str] = &[
    "为", "是", "达", "达到", "共", "共计", "合计", "总计", "累计", "约", "近", "超过", "了", "计",
    "其中", "实现", "完成", "等",
];

/// Words that end a subject when reading backwards from the figure.
const STOPS: &[&str] = &["其中", "主要", "用于", "主要用于", "包括"];

/// How long a label may grow, in characters, before it is cut at a word boundary.
const LABEL_CHARS: usize = 14;

impl Segmenter {
    /// The segmenter a rule set asks for: its base and domain dictionaries.
    pub fn from_rules(rules: &crate::rules::RuleSet) -> Segmenter {
        Segmenter::new(&rules.base_dictionary, &rules.dictionary)
    }

    /// A segmenter over the base dictionary plus the domain words, both as
    /// `word [freq] [tag]` lines (`#` starts a comment line).
    ///
    /// The base is the common part of jieba's own dictionary (see
    /// `rules/base_dictionary.txt`): loading all 349k words of jieba's default
    /// takes ~90 ms, a fixed cost that dominated runs over a few files; the 66k
    /// kept load in ~12 ms.
    pub fn new(base_dictionary: &str, domain_dictionary: &str) -> Segmenter {
        let mut jieba = Jieba::empty();
        let base: String = base_dictionary
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .flat_map(|l| [l, "\n"])
            .collect();
        // The base file is checked when the rules load, so this cannot fail on
        // shipped rules; a failure would only mean fewer known words.
        let _ = jieba.load_dict(&mut base.as_bytes());
        for line in domain_dictionary.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let Some(word) = parts.next() else { continue };
            let freq = parts.next().and_then(|f| f.parse().ok());
            let tag = parts.next();
            jieba.add_word(word, freq, tag);
        }
        Segmenter { jieba }
    }

    /// Words of `text`, in order.
    pub fn words<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.jieba
            .cut(text, false)
            .into_iter()
            .map(|t| t.word)
            .collect()
    }

    /// The subject phrase at the end of `prefix`: the last words before a figure,
    /// without joining words (为, 达到, 共计), stopping at punctuation.
    pub fn label(&self, prefix: &str) -> String {
        let words = self.words(prefix);
        let mut kept: Vec<&str> = Vec::new();
        let mut chars = 0;
        for word in words.iter().rev() {
            let w = word.trim();
            if w.is_empty() {
                if !kept.is_empty() {
                    kept.push(" ");
                }
                continue;
            }
            if w.chars().all(|c| {
                !c.is_alphanumeric()
                    && c != '“'
                    && c != '”'
                    && c != '('
                    && c != ')'
                    && c != '（'
                    && c != '）'
            }) || STOPS.contains(&w)
            {
                if kept.iter().any(|k| !k.trim().is_empty()) {
                    break;
                }
                continue;
            }
            if kept.iter().all(|k| k.trim().is_empty()) && FILLERS.contains(&w) {
                continue;
            }
            let n = w.chars().count();
            if chars > 0 && chars + n > LABEL_CHARS {
                break;
            }
            chars += n;
            kept.push(w);
        }
        kept.reverse();
        let label: String = kept.concat();
        label.trim().to_string()
    }

    /// Whether `word` stands in `sentence` on word boundaries (not inside a longer word).
    pub fn has_word(&self, sentence: &str, word: &str) -> bool {
        if !sentence.contains(word) {
            return false;
        }
        let tokens = self.jieba.cut(sentence, false);
        let starts: Vec<usize> = tokens.iter().map(|t| t.byte_start).collect();
        let ends: Vec<usize> = tokens.iter().map(|t| t.byte_end).collect();
        sentence
            .match_indices(word)
            .any(|(at, w)| starts.contains(&at) && ends.contains(&(at + w.len())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segmenter() -> Segmenter {
        let rules = crate::rules::RuleSet::load(&crate::rules::default_dir()).unwrap();
        Segmenter::from_rules(&rules)
    }

    #[test]
    fn label_is_the_subject_before_the_figure() {
        let s = segmenter();
        assert_eq!(s.label("部门预算收入"), "部门预算收入");
        assert_eq!(s.label("2024年“三公”经费预算为"), "2024年“三公”经费预算");
        assert_eq!(s.label("，其中：行政编"), "行政编");
    }

    #[test]
    fn keywords_count_only_on_word_boundaries() {
        let s = segmenter();
        assert!(s.has_word("部门项目支出5267.55万元", "项目支出"));
        assert!(!s.has_word("全年执行数为", "年执"));
    }
}
