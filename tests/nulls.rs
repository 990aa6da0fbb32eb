//! `null` in an optional field is read as an absent one (issue 21): for every struct of the SDK
//! with optional fields, an instance with every field set (built from the generator's IR, so every
//! struct is covered and a new one is covered on its own) decodes with each optional field set to
//! `null`, one at a time and all at once, and encodes back without the field (`None`, or an empty
//! list the SDK does not write) and with every other field as it was. A required field stays
//! strict: a `null` where the type cannot be null is refused, naming the field.

use dixa_tests::{dispatch, wire};
use generator::ir::{Api, Field, TypeDef, TypeKind, TypeRef};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// How deep an instance sets optional fields; below, only required ones (recursive types end).
const FULL_DEPTH: usize = 3;

fn api() -> Api {
    let spec = dixa_tests::root().join("spec/dixa-api.yaml");
    generator::api(&generator::Config::beside(&spec)).expect("the spec lowers")
}

struct Instances<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
}

impl Instances<'_> {
    /// A JSON value of `ty` a server could send: every field of a struct down to [`FULL_DEPTH`],
    /// the first value of an enumeration and the first variant of a union.
    fn of(&self, ty: &TypeRef, depth: usize) -> Value {
        match ty {
            TypeRef::String => json!("text"),
            TypeRef::I32 | TypeRef::I64 => json!(7),
            TypeRef::F32 | TypeRef::F64 => json!(1.5),
            TypeRef::Bool => json!(true),
            TypeRef::Uuid => json!("6c2d3d2a-3f34-4a53-9a47-4c0c1f4b8e5d"),
            TypeRef::DateTime => json!("2021-12-01T12:46:36.581Z"),
            TypeRef::Binary | TypeRef::Pending(_) => Value::Null,
            TypeRef::Json => json!({"any": [1]}),
            TypeRef::List(item) => json!([self.of(item, depth + 1)]),
            TypeRef::Map(value) => json!({"key": self.of(value, depth + 1)}),
            TypeRef::KeyedMap(key, value) => {
                let key = self.of(key, depth + 1);
                let mut map = Map::new();
                map.insert(
                    key.as_str().unwrap_or("key").to_owned(),
                    self.of(value, depth + 1),
                );
                Value::Object(map)
            }
            TypeRef::Named(name) => match self.types.get(name.as_str()).map(|d| &d.kind) {
                Some(TypeKind::Struct { fields }) => self.object(fields, depth),
                Some(TypeKind::Alias { target }) => self.of(target, depth),
                Some(TypeKind::StringEnum { values }) => {
                    json!(values.first().map_or("", |v| v.wire.as_str()))
                }
                Some(TypeKind::TaggedUnion { tag, variants }) => match variants.first() {
                    Some(v) => {
                        let mut value = self.of(&TypeRef::Named(v.ty.clone()), depth + 1);
                        if let Value::Object(map) = &mut value {
                            map.insert(tag.property.clone(), json!(v.tag));
                        }
                        value
                    }
                    None => json!({}),
                },
                Some(TypeKind::Untagged { variants }) => variants
                    .first()
                    .map_or(Value::Null, |v| self.of(&v.ty, depth + 1)),
                Some(TypeKind::Id { raw }) => self.of(raw, depth),
                None => Value::Null,
            },
        }
    }

    fn object(&self, fields: &[Field], depth: usize) -> Value {
        Value::Object(
            fields
                .iter()
                .filter(|f| !f.flatten && (f.required || depth < FULL_DEPTH))
                .map(|f| (f.wire.clone(), self.of(&f.ty, depth + 1)))
                .collect(),
        )
    }
}

/// Whether `ty` holds file content, which has no JSON form (multipart bodies only).
fn holds_file(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Binary => true,
        TypeRef::List(inner) => holds_file(inner),
        _ => false,
    }
}

/// Why `value` (the struct `name`'s instance with `nulled` set to null) does not decode to the
/// instance without them, or `None` when it does.
fn failure(name: &str, full: &Value, nulled: &[&str]) -> Option<String> {
    let mut value = full.clone();
    let mut expected = full.clone();
    for wire in nulled {
        value[*wire] = Value::Null;
        expected.as_object_mut().map(|o| o.remove(*wire));
    }
    let encoded = match dispatch::round_trip_struct(name, &value) {
        None => return Some("no SDK type of this name".to_owned()),
        Some(Err(e)) => return Some(e),
        Some(Ok(encoded)) => encoded,
    };
    // Encoding omits an absent optional field: a null written back would be a change of wire.
    let written: Vec<&&str> = nulled
        .iter()
        .filter(|w| encoded.get(**w).is_some())
        .collect();
    if !written.is_empty() {
        return Some(format!("wrote {written:?} back: {encoded}"));
    }
    let differences = wire::differences(&expected, &encoded);
    (!differences.is_empty()).then(|| differences.join("; "))
}

#[test]
fn null_in_every_optional_field_of_every_struct_is_absent() {
    let api = api();
    let instances = Instances {
        types: api.types.iter().map(|t| (t.name.as_str(), t)).collect(),
    };
    let (mut structs, mut nulls) = (0, 0);
    let mut problems = Vec::new();
    for def in &api.types {
        let TypeKind::Struct { fields } = &def.kind else {
            continue;
        };
        let optional: Vec<&str> = fields
            .iter()
            .filter(|f| !f.required && !f.flatten)
            .map(|f| f.wire.as_str())
            .collect();
        if optional.is_empty() || fields.iter().any(|f| holds_file(&f.ty)) {
            continue;
        }
        structs += 1;
        let full = instances.object(fields, 0);
        // The instance itself must round-trip, or the nulls below would prove nothing.
        if let Some(why) = failure(&def.name, &full, &[]) {
            problems.push(format!(
                "{}: the instance {full} does not round-trip: {why}",
                def.name
            ));
            continue;
        }
        for wire in &optional {
            nulls += 1;
            if let Some(why) = failure(&def.name, &full, &[wire]) {
                problems.push(format!("{} with `{wire}: null`: {why}", def.name));
            }
        }
        if let Some(why) = failure(&def.name, &full, &optional) {
            problems.push(format!(
                "{} with every optional field null: {why}",
                def.name
            ));
        }
    }
    println!("{structs} structs with optional fields, {nulls} fields set to null one at a time");
    // 214 structs with 587 optional fields when this was written; far fewer would mean the IR was
    // not read.
    assert!(
        structs > 150 && nulls > 400,
        "{structs} structs, {nulls} fields"
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn null_in_a_required_field_is_refused_unless_the_field_may_be_null() {
    // `Agent.roles` is an optional list: null is empty (the failure reported in issue 21).
    let agent: dixa::models::Agent = serde_json::from_value(json!({
        "id": "6c2d3d2a-3f34-4a53-9a47-4c0c1f4b8e5d",
        "createdAt": "2021-12-01T12:46:36.581Z[GMT]",
        "displayName": "Ann",
        "email": "ann@example.com",
        "roles": null,
        "phoneNumber": null
    }))
    .expect("nulls in optional fields decode");
    assert!(agent.roles.is_empty());
    assert_eq!(agent.phone_number, None);
    // `Agent.displayName` is required and not nullable: a null is refused with the field's path.
    let err = serde_path_to_error::deserialize::<_, dixa::models::Agent>(json!({
        "id": "6c2d3d2a-3f34-4a53-9a47-4c0c1f4b8e5d",
        "createdAt": "2021-12-01T12:46:36.581Z[GMT]",
        "displayName": null,
        "email": "ann@example.com"
    }))
    .expect_err("a required field must not be null");
    assert_eq!(err.path().to_string(), "displayName");
    assert!(
        err.inner().to_string().contains("invalid type: null"),
        "{err}"
    );
}
