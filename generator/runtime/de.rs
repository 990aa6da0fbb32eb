//! The generic half of the decoding that the runtime's macros write for generated types: the
//! visitor every string enum shares ([`StrVisitor`], for `string_enum!`), and the key lookup and
//! bookkeeping of model structs (for `deserialize_struct!`).
//!
//! serde's derive writes, per struct, a visitor that reads an object or an array (which Dixa never
//! sends for an object) and a field-name enum with a `Deserialize` and a visitor of its own; rustc
//! checks all of them for each of the API's 450 structs. Replacing them cut the instructions rustc
//! runs to check the SDK by 40% (BENCHMARKS.md, compile times). The expansion of
//! `deserialize_struct!` keeps only the object visitor; the field names are looked up by
//! [`FieldSeed`], the bookkeeping is done by [`field`] and [`required`], and all three are generic,
//! so rustc checks them once. What a caller sees is what the derive gives: the same errors for a
//! missing, duplicated or mistyped field, unknown fields ignored, a missing `Option` field read as
//! `None`.
//!
//! One thing differs, on purpose: an optional field (one the schema does not list as `required`)
//! reads `null` as it reads an absent key, as its default (`None`, an empty list or map), through
//! [`optional`]. Dixa's own answers carry explicit nulls (`"phone": null`, `"roles": null`), and a
//! list field that refused them would fail the whole response. A required field stays strict: a
//! `null` there is `None` only when the schema says the field may be null (its type is an
//! `Option`); for any other type it is the error serde gives for the wrong type ("invalid type:
//! null, expected a string"), with the field's path, because a required value that is missing is
//! something the caller must hear about.

use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// The serde visitor of every string enum: a string becomes the enum through its `From<&str>`
/// (known values to their variants, anything else to `Unknown`). One generic type rather than one
/// per enum, so rustc checks it once (BENCHMARKS.md, compile times).
#[allow(
    dead_code,
    reason = "the expansions of string_enum! use it; a spec may have no string enum"
)]
pub struct StrVisitor<T> {
    expecting: &'static str,
    target: PhantomData<fn() -> T>,
}

#[allow(
    dead_code,
    reason = "the expansions of string_enum! use it; a spec may have no string enum"
)]
impl<T> StrVisitor<T> {
    /// A visitor whose error message says it expected `expecting`.
    pub fn new(expecting: &'static str) -> Self {
        Self {
            expecting,
            target: PhantomData,
        }
    }
}

impl<T: for<'a> From<&'a str>> Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }
}

/// What [`FieldSeed`] gives for a key that is not one of the struct's fields.
#[allow(
    dead_code,
    reason = "the expansions of deserialize_struct! use it; a spec may have no struct"
)]
pub const UNKNOWN: usize = usize::MAX;

/// Reads an object's key as the position of a struct's field among its wire names (in the order
/// `deserialize_struct!` lists them), or [`UNKNOWN`].
#[allow(
    dead_code,
    reason = "the expansions of deserialize_struct! use it; a spec may have no struct"
)]
pub struct FieldSeed(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldSeed {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldSeed {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<usize, E> {
        Ok(self
            .0
            .iter()
            .position(|name| *name == key)
            .unwrap_or(UNKNOWN))
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(self
            .0
            .iter()
            .position(|name| name.as_bytes() == key)
            .unwrap_or(UNKNOWN))
    }

    // A key given as a number is a field's position, as serde's derive reads it (formats without
    // names; JSON always names its keys).
    fn visit_u64<E: Error>(self, index: u64) -> Result<usize, E> {
        Ok(usize::try_from(index)
            .ok()
            .filter(|i| *i < self.0.len())
            .unwrap_or(UNKNOWN))
    }
}

/// Reads an object's key as [`FieldSeed`] does, and keeps a key that is none of the struct's
/// fields in the second member, for a struct that keeps the object's other keys
/// (`deserialize_struct!` with `extra`).
#[allow(
    dead_code,
    reason = "the expansions of deserialize_struct! use it; a spec may have no struct with extra keys"
)]
pub struct KeySeed<'k>(pub &'static [&'static str], pub &'k mut String);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<usize, E> {
        let found = FieldSeed(self.0).visit_str::<E>(key)?;
        if found == UNKNOWN {
            key.clone_into(self.1);
        }
        Ok(found)
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<usize, E> {
        match std::str::from_utf8(key) {
            Ok(key) => self.visit_str(key),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(key), &self)),
        }
    }

    // A key given as a number is a field's position, as serde's derive reads it; any other number
    // is kept as its text, the key JSON would have.
    fn visit_u64<E: Error>(self, index: u64) -> Result<usize, E> {
        let found = FieldSeed(self.0).visit_u64::<E>(index)?;
        if found == UNKNOWN {
            *self.1 = index.to_string();
        }
        Ok(found)
    }
}

/// Reads the value of a key that is none of the struct's fields (`key`, taken) into the map of
/// extra keys. A key given twice keeps its last value, as a JSON object read into a map does.
#[allow(
    dead_code,
    reason = "the expansions of deserialize_struct! use it; a spec may have no struct with extra keys"
)]
pub fn extra<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    extra: &mut BTreeMap<String, T>,
    key: &mut String,
) -> Result<(), A::Error> {
    let value = map.next_value()?;
    extra.insert(std::mem::take(key), value);
    Ok(())
}

/// Reads the value of the field `name` into its slot; a field given twice is an error, as with
/// serde's derive.
#[allow(
    dead_code,
    reason = "the expansions of deserialize_struct! use it; a spec may have no struct"
)]
pub fn field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads the value of the optional field `name` into its slot, `null` as the field's default (`None`,
/// an empty list or map) as an absent key is read; a field given twice is an error, as with
/// serde's derive. The value is read as an `Option` of the field's type, whose visitor serde_json
/// answers by looking at one byte, so this costs decoding nothing measurable.
#[allow(
    dead_code,
    reason = "the expansions of deserialize_struct! use it; a spec may have no struct"
)]
pub fn optional<'de, A: MapAccess<'de>, T: Deserialize<'de> + Default>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    let value: Option<T> = map.next_value()?;
    *slot = Some(value.unwrap_or_default());
    Ok(())
}

/// A `deserialize_with` function that reads `null` as the type's default, as [`optional`] does for
/// the structs of `deserialize_struct!`: for a struct whose `Deserialize` is derived.
#[allow(
    dead_code,
    reason = "derived structs with optional fields use it; a spec may have none"
)]
pub fn null_as_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(
    deserializer: D,
) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// The value of a required field once the object has ended. An absent field is what serde's
/// derive makes of it: `None` for an `Option` (a required field that may be null), otherwise the
/// error "missing field".
#[allow(
    dead_code,
    reason = "the expansions of deserialize_struct! use it; a spec may have no struct"
)]
pub fn required<'de, T: Deserialize<'de>, E: Error>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing {
            name,
            error: PhantomData,
        }),
    }
}

/// The deserializer of an absent field: it holds `None` for an `Option` and is an error for
/// anything else, like serde's own (which is not public API).
struct Missing<E> {
    name: &'static str,
    error: PhantomData<fn() -> E>,
}

impl<'de, E: Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.name))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct with a required field, a required field that may be null, and two optional ones.
    #[derive(Debug, PartialEq)]
    struct Sample {
        id: String,
        nullable: Option<i64>,
        note: Option<String>,
        tags: Vec<String>,
    }

    crate::runtime::macros::deserialize_struct!(Sample {
        required {
            0 id: "id";
            1 nullable: "nullable";
        }
        optional {
            2 note: "note";
            3 tags: "tags";
        }
    });

    const FIELDS: &[&str] = &["id", "nullable", "note", "tags"];

    /// A model whose name and fields are the names the expansion uses itself.
    mod named_like_the_expansion {
        #[derive(Debug, PartialEq)]
        pub struct Visitor {
            pub map: String,
            pub key: Option<i64>,
            pub deserializer: Vec<String>,
        }

        crate::runtime::macros::deserialize_struct!(Visitor {
            required {
                0 map: "map";
            }
            optional {
                1 key: "key";
                2 deserializer: "deserializer";
            }
        });
    }

    #[test]
    fn the_expansion_names_nothing_a_model_could_be_named() {
        use named_like_the_expansion::Visitor as Model;
        let decoded = serde_json::from_str::<Model>(r#"{"key":1,"map":"m"}"#).ok();
        let expected = Model {
            map: "m".into(),
            key: Some(1),
            deserializer: Vec::new(),
        };
        assert_eq!(decoded, Some(expected));
    }

    /// `Sample` decoded by serde's derive, the behaviour `deserialize_struct!` keeps.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Derived {
        id: String,
        nullable: Option<i64>,
        #[serde(default)]
        note: Option<String>,
        // An optional list reads `null` as empty, the one way the runtime departs from the
        // derive's defaults.
        #[serde(default, deserialize_with = "null_as_default")]
        tags: Vec<String>,
    }

    impl From<Derived> for Sample {
        fn from(d: Derived) -> Self {
            Sample {
                id: d.id,
                nullable: d.nullable,
                note: d.note,
                tags: d.tags,
            }
        }
    }

    /// Random JSON objects (keys of the struct, escaped or not, unknown keys and repeats, values of
    /// every kind) decode to the same value or fail with the same message, position included, as
    /// with the derive: from text, and from a buffered `Value` as tagged unions decode.
    #[test]
    fn random_objects_decode_exactly_as_the_derive_decodes_them() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let keys = [
            r#""id""#,
            r#""nullable""#,
            r#""note""#,
            r#""tags""#,
            r#""i\u0064""#,
            r#""other""#,
            r#""""#,
        ];
        let values = [
            r#""text""#,
            "7",
            "-1.5",
            "null",
            "true",
            r#"["a","b"]"#,
            "[1]",
            r#"{"id":"x"}"#,
        ];
        let (mut successes, mut failures) = (0, 0);
        for _ in 0..3000 {
            let members: Vec<String> = (0..next(6))
                .map(|_| {
                    let k = next(keys.len() as u64) as usize;
                    // Half of the values fit their field (the first key's value for `id`, the
                    // escaped `id` included), so that many objects decode.
                    let fitting = [0, 1, 0, 5, 0, 0, 0][k];
                    let v = if next(2) == 0 {
                        fitting
                    } else {
                        next(values.len() as u64) as usize
                    };
                    format!("{}:{}", keys[k], values[v])
                })
                .collect();
            let json = format!("{{{}}}", members.join(","));
            let ours = serde_json::from_str::<Sample>(&json).map_err(|e| e.to_string());
            let derived = serde_json::from_str::<Derived>(&json)
                .map(Sample::from)
                .map_err(|e| e.to_string());
            assert_eq!(ours, derived, "{json}");
            match &ours {
                Ok(_) => successes += 1,
                Err(_) => failures += 1,
            }
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&json) {
                let ours = Sample::deserialize(value.clone()).map_err(|e| e.to_string());
                let derived = Derived::deserialize(value)
                    .map(Sample::from)
                    .map_err(|e| e.to_string());
                assert_eq!(ours, derived, "{json} as a Value");
            }
        }
        // Both outcomes are exercised, so the comparison is not vacuous.
        assert!(successes > 100 && failures > 100, "{successes} {failures}");
    }

    /// A struct that keeps the object's other keys, as a schema with both `properties` and
    /// `additionalProperties` is generated.
    #[derive(Debug, PartialEq, serde::Serialize)]
    struct Open {
        id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        #[serde(flatten)]
        extra: std::collections::BTreeMap<String, serde_json::Value>,
    }

    crate::runtime::macros::deserialize_struct!(Open {
        required {
            0 id: "id";
        }
        optional {
            1 note: "note";
        }
        extra extra;
    });

    /// Extra keys whose values must be numbers.
    #[derive(Debug, PartialEq)]
    struct Counts {
        total: i64,
        extra: std::collections::BTreeMap<String, i64>,
    }

    crate::runtime::macros::deserialize_struct!(Counts {
        required {
            0 total: "total";
        }
        optional {}
        extra extra;
    });

    #[test]
    fn an_object_with_unknown_keys_round_trips_exactly() {
        for json in [
            r#"{"id":"7","note":"n","x":{"deep":[1,2,{"k":null}]},"y":3.5,"z":null,"i\u0064x":true}"#,
            r#"{"other":"o","id":"7"}"#,
            r#"{"id":"7"}"#,
        ] {
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            let open: Open = serde_json::from_str(json).unwrap();
            assert_eq!(serde_json::to_value(&open).unwrap(), value, "{json}");
            // From a buffered value, as a tagged union decodes its variants, too.
            let open = Open::deserialize(value.clone()).unwrap();
            assert_eq!(
                serde_json::to_value(&open).unwrap(),
                value,
                "{json} as a Value"
            );
        }
        let open: Open = serde_json::from_str(r#"{"id":"7","x":1}"#).unwrap();
        assert_eq!(open.extra.keys().collect::<Vec<_>>(), ["x"]);
        assert_eq!(open.note, None);
    }

    #[test]
    fn a_union_variant_that_keeps_other_keys_does_not_keep_the_tag() {
        let value = serde_json::json!({"_type": "Open", "id": "7", "y": 1});
        let open =
            crate::runtime::tagged::variant::<Open, serde_json::Value>(value, "Open").unwrap();
        assert_eq!(open.extra.keys().collect::<Vec<_>>(), ["y"]);
    }

    #[test]
    fn extra_keys_are_typed_and_fields_keep_their_errors() {
        let counts: Result<Counts, _> = serde_json::from_str(r#"{"a":1,"total":3,"b":2}"#);
        let expected: std::collections::BTreeMap<String, i64> =
            [("a".to_owned(), 1), ("b".to_owned(), 2)].into();
        assert_eq!(
            counts.map_err(|e| e.to_string()),
            Ok(Counts {
                total: 3,
                extra: expected
            })
        );
        let wrong = serde_json::from_str::<Counts>(r#"{"total":3,"a":"x"}"#);
        assert_eq!(
            wrong.map_err(|e| e.to_string()),
            Err("invalid type: string \"x\", expected i64 at line 1 column 18".to_owned())
        );
        let missing = serde_json::from_str::<Counts>(r#"{"a":1}"#);
        assert_eq!(
            missing.map_err(|e| e.to_string()),
            Err("missing field `total` at line 1 column 7".to_owned())
        );
        let twice = serde_json::from_str::<Counts>(r#"{"total":1,"total":2}"#);
        assert_eq!(
            twice.map_err(|e| e.to_string()),
            Err("duplicate field `total` at line 1 column 18".to_owned())
        );
    }

    fn decode(json: &str) -> Result<Sample, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_fields_in_any_order_and_ignores_unknown_ones() {
        let sample = decode(r#"{"tags":["a"],"other":{"x":[1]},"nullable":null,"id":"7"}"#);
        assert_eq!(
            sample,
            Ok(Sample {
                id: "7".into(),
                nullable: None,
                note: None,
                tags: vec!["a".into()],
            })
        );
    }

    #[test]
    fn an_absent_required_option_is_none_and_an_absent_required_value_an_error() {
        assert_eq!(decode(r#"{"id":"7"}"#).map(|s| s.nullable), Ok(None));
        assert_eq!(
            decode(r#"{"nullable":1}"#),
            Err("missing field `id` at line 1 column 14".into())
        );
    }

    #[test]
    fn null_in_an_optional_field_is_its_default_as_absent_is() {
        let absent = decode(r#"{"id":"7"}"#);
        let nulls = decode(r#"{"id":"7","note":null,"tags":null}"#);
        assert_eq!(nulls, absent);
        assert_eq!(
            nulls,
            Ok(Sample {
                id: "7".into(),
                nullable: None,
                note: None,
                tags: Vec::new(),
            })
        );
        // From a buffered value too, as tagged unions decode their variants.
        let value = serde_json::json!({"id": "7", "tags": null});
        assert_eq!(
            Sample::deserialize(value).map(|s| s.tags).ok(),
            Some(Vec::new())
        );
        // A null is a value given: giving the field again is still a duplicate.
        assert_eq!(
            decode(r#"{"id":"7","tags":null,"tags":["a"]}"#),
            Err("duplicate field `tags` at line 1 column 28".into())
        );
        // A value of the wrong type is still refused.
        assert_eq!(
            decode(r#"{"id":"7","tags":"a"}"#),
            Err("invalid type: string \"a\", expected a sequence at line 1 column 20".into())
        );
    }

    #[test]
    fn null_in_a_required_field_is_none_only_where_the_field_may_be_null() {
        assert_eq!(
            decode(r#"{"id":"7","nullable":null}"#).map(|s| s.nullable),
            Ok(None)
        );
        assert_eq!(
            decode(r#"{"id":null}"#),
            Err("invalid type: null, expected a string at line 1 column 10".into())
        );
        // The SDK names the field of the failure (it decodes a failed body again to find it).
        let err = serde_path_to_error::deserialize::<_, Sample>(serde_json::json!({"id": null}))
            .unwrap_err();
        assert_eq!(err.path().to_string(), "id");
    }

    #[test]
    fn a_duplicated_field_and_a_wrong_type_are_errors() {
        assert_eq!(
            decode(r#"{"id":"7","id":"8"}"#),
            Err("duplicate field `id` at line 1 column 14".into())
        );
        assert_eq!(
            decode(r#"{"id":7}"#),
            Err("invalid type: integer `7`, expected a string at line 1 column 7".into())
        );
        assert_eq!(
            decode(r#"["7"]"#),
            Err("invalid type: sequence, expected struct Sample at line 1 column 1".into())
        );
    }

    #[test]
    fn keys_from_a_buffered_value_and_by_position_are_found() {
        let value = serde_json::json!({"id": "7", "note": "n"});
        let sample = Sample::deserialize(value).map_err(|e| e.to_string());
        assert_eq!(sample.map(|s| s.note), Ok(Some("n".into())));
        let seed = FieldSeed(FIELDS);
        assert_eq!(
            Visitor::visit_u64::<serde_json::Error>(seed, 3).ok(),
            Some(3)
        );
        let seed = FieldSeed(FIELDS);
        assert_eq!(
            Visitor::visit_u64::<serde_json::Error>(seed, 4).ok(),
            Some(UNKNOWN)
        );
        let seed = FieldSeed(FIELDS);
        assert_eq!(
            Visitor::visit_bytes::<serde_json::Error>(seed, b"tags").ok(),
            Some(3)
        );
    }
}
