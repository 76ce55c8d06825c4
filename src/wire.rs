//! Building blocks every stage shares with the wire format: the byte [`Span`]
//! that travels from extraction into records, and [`closed_set!`], which
//! declares a closed set of names once for serde, rule files and tables.

use serde::{Deserialize, Serialize};

/// A byte range into a document's text (the text `jixiao text` prints).
/// Serialised as the `[start, end]` array records have always carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "[usize; 2]", into = "[usize; 2]")]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

impl From<(usize, usize)> for Span {
    fn from((start, end): (usize, usize)) -> Span {
        Span { start, end }
    }
}

impl From<[usize; 2]> for Span {
    fn from([start, end]: [usize; 2]) -> Span {
        Span { start, end }
    }
}

impl From<Span> for [usize; 2] {
    fn from(span: Span) -> [usize; 2] {
        [span.start, span.end]
    }
}

/// Declares an enum whose members each have one name, written once: serde
/// (records, rule files), `as_str` and `from_name` (tables, messages, rule
/// checks) use the same spelling, and `ALL` lists the members in declaration
/// order. `Display` writes the name.
#[macro_export]
macro_rules! closed_set {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $wire)] $variant, )+
        }

        impl $name {
            /// Every member, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The member's name in records and rule files.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }

            /// The member a name stands for.
            pub fn from_name(name: &str) -> Option<$name> {
                match name {
                    $($wire => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// `a, b, c or d`: the members of a closed set as a message lists them.
pub fn one_of(names: impl IntoIterator<Item = &'static str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    match names.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_two_element_arrays_on_the_wire() {
        let span = Span {
            start: 251,
            end: 266,
        };
        assert_eq!(serde_json::to_string(&span).unwrap(), "[251,266]");
        assert_eq!(serde_json::from_str::<Span>("[251,266]").unwrap(), span);
    }

    crate::closed_set! {
        enum Light { Red = "red", GreenArrow = "green_arrow" }
    }

    #[test]
    fn a_closed_set_has_one_spelling() {
        for light in Light::ALL {
            let json = serde_json::to_string(light).unwrap();
            assert_eq!(json, format!("\"{light}\""));
            assert_eq!(Light::from_name(light.as_str()), Some(*light));
        }
        assert_eq!(Light::GreenArrow.as_str(), "green_arrow");
        assert_eq!(Light::from_name("blue"), None);
    }

    #[test]
    fn lists_read_as_a_sentence() {
        assert_eq!(one_of(["a", "b", "c"]), "a, b or c");
        assert_eq!(one_of(["a"]), "a");
    }
}
