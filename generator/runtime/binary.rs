//! File content for uploads: multipart parts (`format: binary` in the spec) and bodies of bytes
//! (`application/octet-stream`, `image/*`, `*/*`...).

use std::fmt;

/// The content of a file to upload, with the file name and media type sent in its multipart part.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Binary {
    bytes: Vec<u8>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Binary {
    /// File content without a name or media type.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name sent with the content (Dixa shows it for attachments).
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the media type sent with the content (`image/png`); without one the part is sent as
    /// `application/octet-stream`.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The content and the media type, taken apart to send them.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn into_parts(self) -> (Vec<u8>, Option<String>) {
        (self.bytes, self.content_type)
    }

    /// The content.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The file name, if set.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The media type, if set.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

// The conversions an operation taking bytes (`impl Into<Binary>`) accepts besides a `Binary`: the
// content alone, without a file name or media type.
impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<&[u8]> for Binary {
    fn from(bytes: &[u8]) -> Self {
        Self::new(bytes)
    }
}

impl<const N: usize> From<&[u8; N]> for Binary {
    fn from(bytes: &[u8; N]) -> Self {
        Self::new(bytes.as_slice())
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

impl From<&str> for Binary {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl fmt::Debug for Binary {
    // The content itself is rarely useful in logs and may be large or private.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Binary")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl serde::Serialize for Binary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.bytes)
    }
}

impl<'de> serde::Deserialize<'de> for Binary {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Binary;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("file content as bytes, a byte array or a string")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Binary, E> {
                Ok(Binary::new(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Binary, E> {
                Ok(Binary::new(v.as_bytes()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Binary, A::Error> {
                let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(b) = seq.next_element::<u8>()? {
                    bytes.push(b);
                }
                Ok(Binary::new(bytes))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_content() {
        let b = Binary::new(vec![1, 2, 3]).with_file_name("a.png");
        assert_eq!(
            format!("{b:?}"),
            "Binary { len: 3, file_name: Some(\"a.png\"), content_type: None }"
        );
    }

    #[test]
    fn content_converts_without_a_name_or_type() {
        let expected = Binary::new(b"abc".to_vec());
        assert_eq!(Binary::from(b"abc".to_vec()), expected);
        assert_eq!(Binary::from(&b"abc"[..]), expected);
        assert_eq!(Binary::from(b"abc"), expected);
        assert_eq!(Binary::from("abc".to_owned()), expected);
        assert_eq!(Binary::from("abc"), expected);
        let typed = Binary::from(b"abc").with_content_type("image/png");
        assert_eq!(
            typed.into_parts(),
            (b"abc".to_vec(), Some("image/png".to_owned()))
        );
    }

    #[test]
    fn serde_round_trip_through_json_arrays() {
        let b = Binary::new(vec![1, 2, 255]);
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(json, "[1,2,255]");
        assert_eq!(serde_json::from_str::<Binary>(&json).unwrap(), b);
    }
}
