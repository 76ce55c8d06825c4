//! Which keys a rule file allows, read from the serde structs that
//! deserialize it, so a key list is never written beside its struct.

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

use super::diagnostics::Schema;

/// The keys of a serde struct, as its derived `Deserialize` names them: the
/// derive hands them to `deserialize_struct`, where [`FieldNames`] takes them.
pub fn struct_fields<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields = None;
    let _ = T::deserialize(FieldNames(&mut fields));
    fields.unwrap_or_default()
}

/// The key list of a rule file deserialized as `File`: its fields, each with
/// the keys of its tables when `tables` names them (`("unit", fields of the
/// unit entry)`).
pub fn schema<File: DeserializeOwned>(
    tables: &[(&'static str, &'static [&'static str])],
) -> Box<Schema> {
    let fields = struct_fields::<File>();
    debug_assert!(
        tables.iter().all(|(table, _)| fields.contains(table)),
        "every table named is a field of the file"
    );
    fields
        .iter()
        .map(|field| {
            let keys = tables
                .iter()
                .find(|(table, _)| table == field)
                .map_or(&[][..], |(_, keys)| *keys);
            (*field, keys)
        })
        .collect()
}

/// A deserializer that only records the field names of the struct asked for.
struct FieldNames<'a>(&'a mut Option<&'static [&'static str]>);

/// Ends the deserialization once the names are recorded.
#[derive(Debug)]
struct Recorded;

impl std::fmt::Display for Recorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field names recorded")
    }
}

impl std::error::Error for Recorded {}

impl de::Error for Recorded {
    fn custom<T: std::fmt::Display>(_: T) -> Recorded {
        Recorded
    }
}

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = Recorded;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Recorded> {
        Err(Recorded)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Recorded> {
        *self.0 = Some(fields);
        Err(Recorded)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
        enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    #[allow(dead_code, reason = "only the shape is read")]
    struct Entry {
        word: String,
        #[serde(default)]
        kind: Option<String>,
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code, reason = "only the shape is read")]
    struct File {
        title: String,
        entry: Vec<Entry>,
    }

    #[test]
    fn keys_come_from_the_structs() {
        assert_eq!(struct_fields::<Entry>(), ["word", "kind"]);
        let keys = schema::<File>(&[("entry", struct_fields::<Entry>())]);
        assert_eq!(
            &keys[..],
            [("title", &[][..]), ("entry", &["word", "kind"][..])]
        );
    }
}
