//! Decoding of internally tagged unions.
//!
//! Dixa's unions are internally tagged by `_type`: `{"value": 4, "_type": "Nps"}`; other unions name
//! their tag property in a `discriminator` or carry it in every branch (`{"kind": "circle", ...}`).
//! The tag may come after the other members, so the object is read whole, its tag picks the variant,
//! and the variant decodes from the buffered object. A tag this SDK version does not know is kept as
//! an [`UnknownVariant`], so a new kind of conversation or activity does not break old clients.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The JSON member holding the tag of Dixa's unions, and of every union that names no other.
pub const TAG: &str = "_type";

/// A union value whose tag this version of the SDK does not know, kept exactly as received so it
/// serializes back unchanged.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownVariant {
    value: Value,
    property: &'static str,
}

impl UnknownVariant {
    /// Wraps a raw JSON value of a union tagged by `_type`.
    pub fn new(value: Value) -> Self {
        Self::tagged_by(value, TAG)
    }

    /// Wraps a raw JSON value of a union whose tag is the member `property`.
    pub fn tagged_by(value: Value, property: &'static str) -> Self {
        Self { value, property }
    }

    /// The tag, if the value has one (a string in the union's tag property): the name of the
    /// variant's type on the wire, as the union's own `type_name()` gives it.
    pub fn type_name(&self) -> Option<&str> {
        self.value.get(self.property).and_then(Value::as_str)
    }

    /// The name of the member that holds the union's tag (`_type` for Dixa's unions).
    pub fn tag_property(&self) -> &'static str {
        self.property
    }

    /// The raw JSON value.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Takes the raw JSON value.
    pub fn into_value(self) -> Value {
        self.value
    }
}

impl Serialize for UnknownVariant {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// Reads an object tagged in its member `property` whole and returns its tag with the object.
#[allow(
    dead_code,
    reason = "`tagged_union!` calls it; a spec or feature set may not need it"
)]
pub fn split<'de, D: Deserializer<'de>>(
    deserializer: D,
    union: &'static str,
    property: &'static str,
) -> Result<(String, Value), D::Error> {
    let value = Value::deserialize(deserializer)?;
    let tag = match value.get(property) {
        Some(Value::String(tag)) => tag.clone(),
        Some(other) => {
            return Err(D::Error::custom(format!(
                "{union}: `{property}` must be a string, found {other}"
            )))
        }
        None if value.is_object() => {
            return Err(D::Error::custom(format!(
                "{union}: missing `{property}` tag"
            )))
        }
        None => {
            return Err(D::Error::custom(format!(
                "{union}: expected an object with a `{property}` tag, found {value}"
            )))
        }
    };
    Ok((tag, value))
}

/// Decodes the variant a tag picked, naming the variant and the path inside it on failure (the
/// buffered object no longer carries the outer path). The tag is taken out of the object first: a
/// variant that keeps its other keys (`additionalProperties`) would otherwise keep the tag among
/// them, and the union, which writes the tag itself, would send it twice.
#[allow(
    dead_code,
    reason = "`tagged_union!` calls it; a spec or feature set may not need it"
)]
pub fn variant<'de, T: DeserializeOwned, D: Deserializer<'de>>(
    mut value: Value,
    tag: &str,
) -> Result<T, D::Error> {
    if let Some(object) = value.as_object_mut() {
        object.remove(TAG);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            D::Error::custom(format!("variant {tag}: {inner}"))
        } else {
            D::Error::custom(format!("variant {tag}, at `{path}`: {inner}"))
        }
    })
}
