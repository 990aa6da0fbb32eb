//! The macros generated models are written with (`string_enum!`, `tagged_union!`, `model!`,
//! `deserialize_struct!`, `id!`). Their expansions are ordinary, tested code; the generated file
//! only lists names, tags and values.

/// The impls of a string enumeration whose last variant is `Unknown(String)`, so that a value Dixa
/// adds later decodes (and re-encodes unchanged) instead of failing the whole response. The enum
/// itself is written out in the generated code, where its documentation is readable.
#[allow(
    unused_macros,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
macro_rules! string_enum {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// Every value this version of the SDK knows, in the spec's order.
            pub const KNOWN: &'static [&'static str] = &[$($wire),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::runtime::de::StrVisitor::<$name>::new(
                    concat!("a ", stringify!($name), " string"),
                ))
            }
        }
    };
}
#[allow(
    unused_imports,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
pub(crate) use string_enum;

/// The impls of an internally tagged union whose last variant is `Unknown(UnknownVariant)`: the tag
/// accessor `type_name`, `is_<variant>`/`as_<variant>` for each known variant, and a `Deserialize` that reads the
/// tag wherever it stands in the object and keeps unknown tags as raw JSON. The enum itself (with its
/// derived `Serialize`, which writes the tag) is written out in the generated code; the invocation
/// lists each variant with its struct (unboxed), tag and the names of its two helpers.
///
/// The tag is the member `_type` (Dixa's unions), or the one named after `by`:
/// `tagged_union!(Shape by "kind" { ... })`. It is a `&'static str` handed to the one decoding
/// function every union shares, so a union tagged by another member costs the compiler nothing more.
#[allow(
    unused_macros,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
macro_rules! tagged_union {
    ($name:ident { $($body:tt)* }) => {
        $crate::runtime::macros::tagged_union!($name by "_type" { $($body)* });
    };
    ($name:ident by $property:literal { $($variant:ident($ty:ty) = $tag:literal, $is:ident, $as:ident;)* }) => {
        impl $name {
            #[doc = concat!("Every `", $property, "` tag this version of the SDK knows, in the spec's order.")]
            pub const KNOWN_TAGS: &'static [&'static str] = &[$($tag),*];

            #[doc = concat!("The `", $property, "` tag of this value: the name of its variant's type on the wire (`\"Csat\"`).")]
            pub fn type_name(&self) -> &str {
                match self {
                    $( Self::$variant(_) => $tag, )*
                    Self::Unknown(unknown) => unknown.type_name().unwrap_or(""),
                }
            }

            $(
                #[doc = concat!("Whether this is a [`", stringify!($variant), "`](Self::", stringify!($variant), ").")]
                pub fn $is(&self) -> bool {
                    matches!(self, Self::$variant(_))
                }

                #[doc = concat!("The [`", stringify!($variant), "`](Self::", stringify!($variant), ") value, if this is one.")]
                pub fn $as(&self) -> ::std::option::Option<&$ty> {
                    match self {
                        // `Borrow` reads through the `Box` of a boxed variant and is the identity
                        // otherwise, so one expansion serves both.
                        Self::$variant(value) => ::std::option::Option::Some(::std::borrow::Borrow::borrow(value)),
                        _ => ::std::option::Option::None,
                    }
                }
            )*
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let (tag, value) = $crate::runtime::tagged::split(deserializer, stringify!($name), $property)?;
                match tag.as_str() {
                    $( $tag => $crate::runtime::tagged::variant::<_, D>(value, $tag).map(Self::$variant), )*
                    _ => Ok(Self::Unknown($crate::UnknownVariant::tagged_by(value, $property))),
                }
            }
        }
    };
}
#[allow(
    unused_imports,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
pub(crate) use tagged_union;

/// The conveniences of a `_type`-tagged union, each section possibly empty:
///
/// * `from`: `From<Struct>` for each variant whose struct no other variant of the union carries, so
///   that `Inbound::new(...).into()` is a `CreateMessageInput`;
/// * `fields`: an accessor for each field every known variant carries with the same type, listing
///   per variant whether the field is always there (`some`) or optional (`opt`), and how it is lent
///   (`copy` for small `Copy` values, `str`, `slice` for lists, `ref` otherwise). It returns an
///   `Option` because the `Unknown` variant (a tag this SDK does not know) has no typed fields;
///   reading one through a 12-arm `match` is what the accessor saves;
/// * `new`: a short constructor per variant, taking the arguments of the variant struct's `new`;
/// * `named` (absent when empty): the same for variant structs whose `new` takes a parameter struct.
#[allow(
    unused_macros,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
macro_rules! tagged_union_helpers {
    ($name:ident {
        from { $($from_variant:ident($from_ty:ty);)* }
        fields { $($(#[$field_attr:meta])* $field:ident -> $ret:ty = $mode:ident [$($in:ident $presence:ident),*];)* }
        new { $($(#[$new_attr:meta])* $new:ident($($arg:ident: $arg_ty:ty),*) => $new_variant:ident($new_ty:ty);)* }
        $(named { $($(#[$named_attr:meta])* $named:ident($params:ty) => $named_variant:ident($named_ty:ty);)* })?
    }) => {
        $(
            impl ::std::convert::From<$from_ty> for $name {
                fn from(value: $from_ty) -> Self {
                    Self::$from_variant(::std::convert::Into::into(value))
                }
            }
        )*

        impl $name {
            $(
                $(#[$field_attr])*
                pub fn $field(&self) -> $ret {
                    match self {
                        $( Self::$in(v) => $crate::runtime::macros::union_field!($mode $presence v.$field), )*
                        Self::Unknown(_) => ::std::option::Option::None,
                    }
                }
            )*

            $(
                $(#[$new_attr])*
                #[allow(clippy::too_many_arguments)]
                pub fn $new($($arg: impl ::std::convert::Into<$arg_ty>),*) -> Self {
                    Self::$new_variant(::std::convert::Into::into(<$new_ty>::new($($arg),*)))
                }
            )*

            $($(
                $(#[$named_attr])*
                pub fn $named(required: $params) -> Self {
                    Self::$named_variant(::std::convert::Into::into(<$named_ty>::new(required)))
                }
            )*)?
        }
    };
}
#[allow(
    unused_imports,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
pub(crate) use tagged_union_helpers;

/// One arm of a union field accessor: lends the field `$e` of a variant as the accessor's `Option`.
#[allow(
    unused_macros,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
macro_rules! union_field {
    (copy some $e:expr) => {
        ::std::option::Option::Some($e)
    };
    (copy opt $e:expr) => {
        $e
    };
    (str some $e:expr) => {
        ::std::option::Option::Some($e.as_str())
    };
    (str opt $e:expr) => {
        $e.as_deref()
    };
    (slice some $e:expr) => {
        ::std::option::Option::Some($e.as_slice())
    };
    (slice opt $e:expr) => {
        $e.as_deref()
    };
    (ref some $e:expr) => {
        ::std::option::Option::Some(&$e)
    };
    (ref opt $e:expr) => {
        $e.as_ref()
    };
}
#[allow(
    unused_imports,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
pub(crate) use union_field;

/// The constructor and setters of a model struct, which is `#[non_exhaustive]` so that a field Dixa
/// adds later is not a breaking change: code outside the SDK builds values with `new`, which takes
/// the required fields (in alphabetical order, so a reordering of the spec never moves an argument;
/// or, where two of them would accept the same value, as one parameter struct with a public field
/// each, so no call can swap them: `emit::constructors` decides), and sets optional fields with
/// `with_<field>`. The struct itself is written out in the generated
/// code; the invocation lists the required fields, then each optional field with its setter.
///
/// An optional field is an `Option<T>`, or a `Vec<T>` that is empty when absent (lists in types only
/// responses use); `new` leaves either at its default (`None`, empty), and the setter stores the
/// value through `From` (`Option<T>: From<T>`, `Vec<T>: From<Vec<T>>`), so one rule serves both.
/// A list field's entry ends in `as list` (`with_tags tags: Vec<String> as list;`): its setter
/// takes any `IntoIterator` of items that convert into the list's item type, so `vec!["a"]`,
/// `["a", "b"]` and iterators work where the item type is `String` (see `model_setter!`).
#[allow(
    unused_macros,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
macro_rules! model {
    // Required fields that would accept the same value come as one parameter struct with a
    // public field each (written out beside the model), so a call names every one of them.
    ($name:ident {
        new($params:ident { $($named:ident),* $(,)? });
        $($(#[$attr:meta])* $setter:ident $optional:ident: $optional_ty:ty $(as $list:ident)?;)*
    }) => {
        impl $name {
            #[doc = concat!("A value with the required fields given by name in [`", stringify!($params), "`], and every optional field unset (set those with the `with_` methods).")]
            pub fn new(required: $params) -> Self {
                let $params { $($named),* } = required;
                Self {
                    // `Into` is the identity, or boxes a field the struct keeps in a `Box`.
                    $($named: ::std::convert::Into::into($named),)*
                    $($optional: ::std::default::Default::default(),)*
                }
            }

            $(
                $crate::runtime::macros::model_setter!(
                    $(#[$attr])* $setter $optional: $optional_ty $(as $list)?
                );
            )*
        }
    };
    ($name:ident {
        new($($required:ident: $required_ty:ty),* $(,)?);
        $($(#[$attr:meta])* $setter:ident $optional:ident: $optional_ty:ty $(as $list:ident)?;)*
    }) => {
        impl $name {
            /// A value with the given required fields and every optional field unset (set those
            /// with the `with_` methods).
            #[allow(clippy::too_many_arguments)]
            pub fn new($($required: impl ::std::convert::Into<$required_ty>),*) -> Self {
                Self {
                    $($required: $required.into(),)*
                    $($optional: ::std::default::Default::default(),)*
                }
            }

            $(
                $crate::runtime::macros::model_setter!(
                    $(#[$attr])* $setter $optional: $optional_ty $(as $list)?
                );
            )*
        }
    };
}
#[allow(
    unused_imports,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
pub(crate) use model;

/// One `with_` setter of `model!`: a value that converts into the field's type, or, for a list
/// (`as list`), any iterable of items that convert into the list's items. The list's item type is
/// read off the list type (`<Vec<T> as IntoIterator>::Item`), so the entry names it once.
#[allow(
    unused_macros,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
macro_rules! model_setter {
    ($(#[$attr:meta])* $setter:ident $optional:ident: $optional_ty:ty) => {
        $(#[$attr])*
        #[doc = concat!("Sets the field `", stringify!($optional), "`.")]
        pub fn $setter(mut self, value: impl ::std::convert::Into<$optional_ty>) -> Self {
            let value: $optional_ty = value.into();
            self.$optional = ::std::convert::From::from(value);
            self
        }
    };
    ($(#[$attr:meta])* $setter:ident $optional:ident: $optional_ty:ty as list) => {
        $(#[$attr])*
        #[doc = concat!(
            "Sets the list `", stringify!($optional), "` from any iterable (a `Vec`, an array, an ",
            "iterator) of values that convert into its items."
        )]
        pub fn $setter(
            mut self,
            values: impl ::std::iter::IntoIterator<
                Item = impl ::std::convert::Into<<$optional_ty as ::std::iter::IntoIterator>::Item>,
            >,
        ) -> Self {
            let value: $optional_ty = values.into_iter().map(::std::convert::Into::into).collect();
            self.$optional = ::std::convert::From::from(value);
            self
        }
    };
}
#[allow(
    unused_imports,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
pub(crate) use model_setter;

/// The `Deserialize` of a model struct, whose `Serialize` is derived: the invocation lists the
/// `required` fields, then the `optional` ones (absent and `null` are both their default: `None`,
/// an empty list or map, because Dixa writes `"phone": null` as often as it leaves a key out),
/// each with its position
/// in that list (which is the order of the wire names the key lookup searches) and its wire name,
/// and, for an object that allows other keys (`additionalProperties` beside `properties`), `extra`
/// and the map field that keeps them (a `BTreeMap<String, T>`, written back by
/// `#[serde(flatten)]`); without it, other keys are ignored.
/// It expands to one visitor for JSON objects; the rest is the generic code of `runtime::de`,
/// checked once for all structs instead of once per struct as serde's derive would be
/// (BENCHMARKS.md, compile times). Decoding behaves as the derive's, except that an optional field
/// also reads `null` as its default: see `runtime::de`.
///
/// The expansion is shaped for rustc's checking as much as for reading: a single `?` after the
/// `match` on the key rather than one per arm, and optional fields taken with `unwrap_or_default`
/// without a `Result`; each `?` is a `From` conversion rustc proves, for every field of 450
/// structs.
#[allow(
    unused_macros,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
macro_rules! deserialize_struct {
    ($name:ident {
        required { $($index:literal $field:ident: $wire:literal;)* }
        optional { $($opt_index:literal $opt_field:ident: $opt_wire:literal;)* }
    }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                // The items of this block are named as no model can be (serde's derive does the
                // same): a model named `Visitor` would otherwise mean this block's visitor in it.
                const __FIELDS: &[&str] = &[$($wire,)* $($opt_wire,)*];
                #[allow(non_camel_case_types)]
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<__A: serde::de::MapAccess<'de>>(self, mut map: __A) -> ::std::result::Result<$name, __A::Error> {
                        $(let mut $field = ::std::option::Option::None;)*
                        $(let mut $opt_field = ::std::option::Option::None;)*
                        loop {
                            let read = match map.next_key_seed($crate::runtime::de::FieldSeed(__FIELDS)) {
                                ::std::result::Result::Ok(::std::option::Option::Some(key)) => match key {
                                    $($index => $crate::runtime::de::field(&mut map, &mut $field, $wire),)*
                                    $($opt_index => $crate::runtime::de::optional(&mut map, &mut $opt_field, $opt_wire),)*
                                    _ => map.next_value::<serde::de::IgnoredAny>().map(drop),
                                },
                                ::std::result::Result::Ok(::std::option::Option::None) => break,
                                ::std::result::Result::Err(error) => ::std::result::Result::Err(error),
                            };
                            if let ::std::result::Result::Err(error) = read {
                                return ::std::result::Result::Err(error);
                            }
                        }
                        ::std::result::Result::Ok($name {
                            $($field: match $crate::runtime::de::required($field, $wire) {
                                ::std::result::Result::Ok(value) => value,
                                ::std::result::Result::Err(error) => return ::std::result::Result::Err(error),
                            },)*
                            $($opt_field: $opt_field.unwrap_or_default(),)*
                        })
                    }
                }
                deserializer.deserialize_struct(stringify!($name), __FIELDS, __Visitor)
            }
        }
    };
    // The same, keeping the keys that are none of the fields in the map field `$extra`.
    ($name:ident {
        required { $($index:literal $field:ident: $wire:literal;)* }
        optional { $($opt_index:literal $opt_field:ident: $opt_wire:literal;)* }
        extra $extra:ident;
    }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                // The items of this block are named as no model can be (serde's derive does the
                // same): a model named `Visitor` would otherwise mean this block's visitor in it.
                const __FIELDS: &[&str] = &[$($wire,)* $($opt_wire,)*];
                #[allow(non_camel_case_types)]
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<__A: serde::de::MapAccess<'de>>(self, mut map: __A) -> ::std::result::Result<$name, __A::Error> {
                        $(let mut $field = ::std::option::Option::None;)*
                        $(let mut $opt_field = ::std::option::Option::None;)*
                        let mut $extra = ::std::collections::BTreeMap::new();
                        // The key last read when it is none of the fields.
                        let mut __key = ::std::string::String::new();
                        loop {
                            let read = match map.next_key_seed($crate::runtime::de::KeySeed(__FIELDS, &mut __key)) {
                                ::std::result::Result::Ok(::std::option::Option::Some(key)) => match key {
                                    $($index => $crate::runtime::de::field(&mut map, &mut $field, $wire),)*
                                    $($opt_index => $crate::runtime::de::optional(&mut map, &mut $opt_field, $opt_wire),)*
                                    _ => $crate::runtime::de::extra(&mut map, &mut $extra, &mut __key),
                                },
                                ::std::result::Result::Ok(::std::option::Option::None) => break,
                                ::std::result::Result::Err(error) => ::std::result::Result::Err(error),
                            };
                            if let ::std::result::Result::Err(error) = read {
                                return ::std::result::Result::Err(error);
                            }
                        }
                        ::std::result::Result::Ok($name {
                            $($field: match $crate::runtime::de::required($field, $wire) {
                                ::std::result::Result::Ok(value) => value,
                                ::std::result::Result::Err(error) => return ::std::result::Result::Err(error),
                            },)*
                            $($opt_field: $opt_field.unwrap_or_default(),)*
                            $extra,
                        })
                    }
                }
                deserializer.deserialize_struct(stringify!($name), __FIELDS, __Visitor)
            }
        }
    };
}
#[allow(
    unused_imports,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
pub(crate) use deserialize_struct;

/// The impls of an id newtype (`pub struct AgentId(uuid::Uuid);`, written out in the generated code
/// with its derives and `#[serde(transparent)]`): conversions from and to the raw type, so that a
/// raw value is accepted wherever the id is and the id can be given back to code that wants the raw
/// value, and `Display`/`FromStr` in the raw type's text form, which is also its URL form.
#[allow(
    unused_macros,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
macro_rules! id {
    // A string id is also built from `&str`, so that `get_x("abc")` reads like any string argument.
    ($name:ident(String)) => {
        crate::runtime::macros::id!(@common $name(String));

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl $name {
            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
    ($name:ident($raw:ty)) => {
        crate::runtime::macros::id!(@common $name($raw));
    };
    (@common $name:ident($raw:ty)) => {
        impl $name {
            /// The raw value, as sent on the wire.
            pub fn get(&self) -> &$raw {
                &self.0
            }

            /// The raw value, consuming the id.
            pub fn into_inner(self) -> $raw {
                self.0
            }
        }

        impl ::std::convert::From<$raw> for $name {
            fn from(value: $raw) -> Self {
                Self(value)
            }
        }

        impl ::std::convert::From<$name> for $raw {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = <$raw as ::std::str::FromStr>::Err;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                value.parse().map(Self)
            }
        }
    };
}
#[allow(
    unused_imports,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
pub(crate) use id;

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// A test enum.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Presence {
        /// Away.
        Away,
        /// Working.
        Working,
        /// Unknown.
        Unknown(String),
    }
    string_enum!(Presence { Away = "Away", Working = "Working" });

    /// A test variant.
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Score {
        value: i32,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        label: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        notes: Vec<String>,
    }

    impl Score {
        fn new(label: impl Into<String>, value: impl Into<i32>) -> Self {
            Self {
                value: value.into(),
                label: label.into(),
                comment: None,
                notes: Vec::new(),
            }
        }
    }

    /// Another test variant, carrying some of `Score`'s fields.
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Stars {
        value: i32,
        label: String,
        comment: String,
        notes: Option<Vec<String>>,
    }

    /// An empty test variant.
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Closed {}

    impl Closed {
        fn new() -> Self {
            Self {}
        }
    }

    /// A test union.
    #[derive(Debug, Clone, PartialEq, serde::Serialize)]
    #[serde(tag = "_type")]
    pub enum Rating {
        /// Csat.
        Csat(Score),
        /// Nps.
        Nps(Box<Score>),
        /// Closed.
        Closed(Closed),
        /// Stars.
        Stars(Box<Stars>),
        /// Unknown.
        #[serde(untagged)]
        Unknown(crate::UnknownVariant),
    }
    tagged_union!(Rating {
        Csat(Score) = "Csat", is_csat, as_csat;
        Nps(Score) = "Nps", is_nps, as_nps;
        Closed(Closed) = "Closed", is_closed, as_closed;
        Stars(Stars) = "Stars", is_stars, as_stars;
    });

    /// A union whose variants share fields.
    #[derive(Debug, Clone, PartialEq, serde::Serialize)]
    #[serde(tag = "_type")]
    pub enum Graded {
        /// Score.
        Score(Score),
        /// Stars.
        Stars(Box<Stars>),
        /// Unknown.
        #[serde(untagged)]
        Unknown(crate::UnknownVariant),
    }
    tagged_union!(Graded {
        Score(Score) = "Score", is_score, as_score;
        Stars(Stars) = "Stars", is_stars, as_stars;
    });
    tagged_union_helpers!(Graded {
        from {
            Score(Score);
            Stars(Stars);
        }
        fields {
            /// The value.
            value -> Option<i32> = copy [Score some, Stars some];
            /// The label.
            label -> Option<&str> = str [Score some, Stars some];
            /// The comment.
            comment -> Option<&str> = str [Score opt, Stars some];
            /// The notes.
            notes -> Option<&[String]> = slice [Score some, Stars opt];
        }
        new {
            /// A score.
            score(label: String, value: i32) => Score(Score);
        }
    });
    tagged_union_helpers!(Rating {
        from {
            Closed(Closed);
            Stars(Stars);
        }
        fields {}
        new {
            /// A closed rating.
            closed() => Closed(Closed);
        }
    });

    /// A union tagged by another member than `_type`, which the union writes.
    #[derive(Debug, Clone, PartialEq, serde::Serialize)]
    #[serde(tag = "kind")]
    pub enum Shape {
        /// Circle.
        #[serde(rename = "circle")]
        Circle(Score),
        /// Square.
        #[serde(rename = "square")]
        Square(Closed),
        /// Unknown.
        #[serde(untagged)]
        Unknown(crate::UnknownVariant),
    }
    tagged_union!(Shape by "kind" {
        Circle(Score) = "circle", is_circle, as_circle;
        Square(Closed) = "square", is_square, as_square;
    });

    /// A variant that declares its union's tag itself and writes it.
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Dog {
        #[serde(rename = "petType")]
        pet_type: String,
        barks: bool,
    }

    /// A union whose variants carry the tag (`petType`) as a field: the union writes them as they
    /// are.
    #[derive(Debug, Clone, PartialEq, serde::Serialize)]
    #[serde(untagged)]
    pub enum Pet {
        /// Dog, under two tags.
        Dog(Dog),
        /// Puppy.
        Puppy(Dog),
        /// Unknown.
        #[serde(untagged)]
        Unknown(crate::UnknownVariant),
    }
    tagged_union!(Pet by "petType" {
        Dog(Dog) = "dog", is_dog, as_dog;
        Puppy(Dog) = "puppy", is_puppy, as_puppy;
    });

    /// A test model.
    #[derive(Debug, Clone, PartialEq, Default)]
    #[non_exhaustive]
    pub struct Note {
        /// The text.
        pub text: String,
        /// The author.
        pub author: Option<String>,
        /// A nested note.
        pub reply: Option<Box<Note>>,
        /// A keyword-named field.
        pub r#type: Option<Vec<i32>>,
        /// A list that is empty when absent.
        pub tags: Vec<String>,
    }
    model!(Note {
        new(text: String);
        with_author author: String;
        with_reply reply: Box<Note>;
        with_type r#type: Vec<i32> as list;
        with_tags tags: Vec<String> as list;
    });

    #[test]
    fn models_are_built_from_required_fields_and_setters() {
        let reply = Note::new("thanks");
        let note = Note::new("hello")
            .with_author("ann")
            .with_reply(reply.clone())
            .with_type([1, 2])
            .with_tags(vec!["a".to_owned()]);
        assert_eq!(
            note,
            Note {
                text: "hello".into(),
                author: Some("ann".into()),
                reply: Some(Box::new(reply)),
                r#type: Some(vec![1, 2]),
                tags: vec!["a".into()],
            }
        );
        assert_eq!(Note::new("x").author, None);
        assert!(Note::new("x").tags.is_empty());
    }

    #[test]
    fn list_setters_take_any_iterable_of_convertible_items() {
        let expected = vec!["a".to_owned(), "b".to_owned()];
        // `&str` items into a list of `String`s: a `Vec`, an array, an iterator, a slice's items.
        assert_eq!(Note::new("x").with_tags(vec!["a", "b"]).tags, expected);
        assert_eq!(Note::new("x").with_tags(["a", "b"]).tags, expected);
        assert_eq!(
            Note::new("x")
                .with_tags("a,b".split(',').map(str::to_owned))
                .tags,
            expected
        );
        assert_eq!(
            Note::new("x").with_tags(["a", "b"].iter().copied()).tags,
            expected
        );
        assert_eq!(Note::new("x").with_tags(expected.clone()).tags, expected);
        // An `Option<Vec>` list: set to the items, and an empty iterable sets it to empty, not
        // absent (a request can tell the two apart).
        assert_eq!(Note::new("x").with_type(1..=3).r#type, Some(vec![1, 2, 3]));
        assert_eq!(
            Note::new("x").with_type(std::iter::empty::<i32>()).r#type,
            Some(vec![])
        );
        // A later call replaces the earlier list.
        assert_eq!(
            Note::new("x").with_tags(["z"]).with_tags(["a", "b"]).tags,
            expected
        );
    }

    #[test]
    fn known_and_unknown_enum_values_round_trip() {
        let v: Presence = serde_json::from_str("\"Away\"").unwrap();
        assert_eq!(v, Presence::Away);
        let u: Presence = serde_json::from_str("\"OnBreak\"").unwrap();
        assert_eq!(u, Presence::Unknown("OnBreak".into()));
        assert_eq!(serde_json::to_string(&u).unwrap(), "\"OnBreak\"");
        assert_eq!(Presence::Working.to_string(), "Working");
        assert_eq!("Working".parse::<Presence>().unwrap(), Presence::Working);
        assert_eq!(Presence::KNOWN, ["Away", "Working"]);
        assert!(serde_json::from_str::<Presence>("3").is_err());
    }

    #[test]
    fn the_tag_picks_the_variant_even_when_shapes_are_equal() {
        let nps: Rating = serde_json::from_value(json!({"value": 4, "_type": "Nps"})).unwrap();
        assert_eq!(nps, Rating::Nps(Box::new(Score::new("", 4))));
        let csat: Rating = serde_json::from_value(json!({"_type": "Csat", "value": 4})).unwrap();
        assert_eq!(csat.type_name(), "Csat");
        assert_eq!(
            serde_json::to_value(&nps).unwrap(),
            json!({"_type": "Nps", "value": 4})
        );
        let closed: Rating = serde_json::from_value(json!({"_type": "Closed"})).unwrap();
        assert_eq!(
            serde_json::to_value(&closed).unwrap(),
            json!({"_type": "Closed"})
        );
    }

    #[test]
    fn variants_are_tested_borrowed_and_built() {
        let stars = Stars {
            value: 5,
            label: "five".into(),
            comment: "great".into(),
            notes: None,
        };
        let rating = Rating::from(stars.clone());
        assert!(rating.is_stars() && !rating.is_csat());
        assert_eq!(rating.as_stars(), Some(&stars));
        assert_eq!(rating.as_closed(), None);
        assert_eq!(Rating::closed(), Rating::Closed(Closed {}));
        assert!(Rating::closed().is_closed());
        let unknown: Rating = serde_json::from_value(json!({"_type": "Thumbs"})).unwrap();
        assert!(!unknown.is_stars() && unknown.as_stars().is_none());
        // A boxed variant is lent unboxed.
        let nps = Rating::Nps(Box::new(Score::new("n", 9)));
        assert!(nps.is_nps() && !nps.is_closed());
        assert_eq!(nps.as_nps(), Some(&Score::new("n", 9)));
        assert_eq!(nps.as_csat(), None);
        assert_eq!(Rating::KNOWN_TAGS, ["Csat", "Nps", "Closed", "Stars"]);
        let score = Graded::score("good", 4);
        assert!(score.is_score() && !score.is_stars());
        assert_eq!(score.as_score(), Some(&Score::new("good", 4)));
        assert_eq!(score.as_stars(), None);
        assert_eq!(score.type_name(), "Score");
        assert_eq!(Graded::KNOWN_TAGS, ["Score", "Stars"]);
    }

    #[test]
    fn shared_fields_are_read_without_a_match() {
        let score = Graded::score("good", 4);
        assert_eq!(score.value(), Some(4));
        assert_eq!(score.label(), Some("good"));
        assert_eq!(score.comment(), None, "optional and absent");
        assert_eq!(score.notes(), Some(&[][..]), "an empty list is a list");
        let stars = Graded::from(Stars {
            value: 5,
            label: "five".into(),
            comment: "great".into(),
            notes: Some(vec!["a".into()]),
        });
        assert_eq!(stars.value(), Some(5));
        assert_eq!(stars.comment(), Some("great"));
        assert_eq!(stars.notes(), Some(&["a".to_owned()][..]));
        let unknown: Graded =
            serde_json::from_value(json!({"_type": "Emoji", "value": 1})).unwrap();
        assert_eq!(
            unknown.value(),
            None,
            "an unknown variant has no typed fields"
        );
        assert_eq!(unknown.label(), None);
    }

    #[test]
    fn a_union_tagged_by_another_member_reads_and_writes_it() {
        let circle: Shape = serde_json::from_value(json!({"value": 2, "kind": "circle"})).unwrap();
        assert!(Shape::Square(Closed::new()).is_square());
        assert!(circle.as_circle().is_some());
        assert_eq!(circle, Shape::Circle(Score::new("", 2)));
        assert_eq!(circle.type_name(), "circle");
        assert!(circle.is_circle() && circle.as_square().is_none());
        assert_eq!(
            serde_json::to_value(&circle).unwrap(),
            json!({"kind": "circle", "value": 2})
        );
        assert_eq!(Shape::KNOWN_TAGS, ["circle", "square"]);
        // `_type` is an ordinary member here, not the tag.
        let err = serde_json::from_value::<Shape>(json!({"_type": "circle"})).unwrap_err();
        assert!(err.to_string().contains("missing `kind` tag"), "{err}");
        let raw = json!({"kind": "hexagon", "sides": 6});
        let unknown: Shape = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(unknown.type_name(), "hexagon");
        let Shape::Unknown(inner) = &unknown else {
            panic!("not unknown: {unknown:?}")
        };
        assert_eq!(inner.tag_property(), "kind");
        assert_eq!(serde_json::to_value(&unknown).unwrap(), raw);
    }

    #[test]
    fn variants_that_carry_the_tag_round_trip_exactly() {
        let raw = json!({"petType": "puppy", "barks": false});
        let puppy: Pet = serde_json::from_value(raw.clone()).unwrap();
        assert!(puppy.is_puppy() && !puppy.is_dog());
        assert_eq!(puppy.as_puppy().map(|p| p.barks), Some(false));
        assert_eq!(puppy.type_name(), "puppy");
        assert_eq!(serde_json::to_value(&puppy).unwrap(), raw);
        let dog: Pet = serde_json::from_value(json!({"barks": true, "petType": "dog"})).unwrap();
        assert_eq!(
            dog.as_dog(),
            Some(&Dog {
                pet_type: "dog".into(),
                barks: true
            })
        );
        let raw = json!({"petType": "cat", "meows": true});
        let cat: Pet = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(cat.type_name(), "cat");
        assert_eq!(serde_json::to_value(&cat).unwrap(), raw);
        assert_eq!(Pet::KNOWN_TAGS, ["dog", "puppy"]);
    }

    #[test]
    fn unknown_tags_are_kept_verbatim() {
        let raw = json!({"_type": "Hearts", "value": 5, "extra": [1]});
        let v: Rating = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(v.type_name(), "Hearts");
        assert!(matches!(v, Rating::Unknown(_)));
        assert_eq!(serde_json::to_value(&v).unwrap(), raw);
    }

    #[test]
    fn bad_variants_and_missing_tags_fail_with_a_path() {
        let err = serde_json::from_value::<Rating>(json!({"_type": "Nps", "value": "x"}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("variant Nps, at `value`"), "{err}");
        let err = serde_json::from_value::<Rating>(json!({"value": 1}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing `_type`"), "{err}");
        let err = serde_json::from_value::<Rating>(json!([1]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected an object"), "{err}");
    }

    /// A test id over a UUID.
    #[derive(
        Debug,
        Clone,
        Copy,
        PartialEq,
        Eq,
        Hash,
        PartialOrd,
        Ord,
        serde::Serialize,
        serde::Deserialize,
    )]
    #[serde(transparent)]
    pub struct ThingId(uuid::Uuid);
    id!(ThingId(uuid::Uuid));

    /// A test id over a string.
    #[derive(
        Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
    )]
    #[serde(transparent)]
    pub struct NameId(String);
    id!(NameId(String));

    /// A test id over an integer.
    #[derive(
        Debug,
        Clone,
        Copy,
        PartialEq,
        Eq,
        Hash,
        PartialOrd,
        Ord,
        serde::Serialize,
        serde::Deserialize,
    )]
    #[serde(transparent)]
    pub struct NumberId(i64);
    id!(NumberId(i64));

    #[test]
    fn ids_are_their_raw_value_on_the_wire_and_in_text() {
        let text = "6c2d3d2a-3f34-4a53-9a47-4c0c1f4b8e5d";
        let raw: uuid::Uuid = text.parse().unwrap();
        let id = ThingId::from(raw);
        assert_eq!(serde_json::to_value(id).unwrap(), json!(text));
        assert_eq!(serde_json::from_value::<ThingId>(json!(text)).unwrap(), id);
        assert_eq!(id.to_string(), text);
        assert_eq!(text.parse::<ThingId>().unwrap(), id);
        assert!("not-a-uuid".parse::<ThingId>().is_err());
        assert!(serde_json::from_value::<ThingId>(json!(12)).is_err());
        assert_eq!(uuid::Uuid::from(id), raw);
        assert_eq!(*id.get(), raw);

        let n = NumberId::from(12_345_678_901_i64);
        assert_eq!(serde_json::to_value(n).unwrap(), json!(12_345_678_901_i64));
        assert_eq!(
            serde_json::from_value::<NumberId>(json!(7)).unwrap(),
            NumberId(7)
        );
        assert_eq!(n.to_string(), "12345678901");
        assert_eq!("42".parse::<NumberId>().unwrap().into_inner(), 42);
        assert!("4x".parse::<NumberId>().is_err());
        assert!(serde_json::from_value::<NumberId>(json!("7")).is_err());

        let s = NameId::from("a b");
        assert_eq!(serde_json::to_value(&s).unwrap(), json!("a b"));
        assert_eq!(s.as_str(), "a b");
        assert_eq!("a b".parse::<NameId>().unwrap(), s);
        assert_eq!(String::from(s), "a b");
    }
}
