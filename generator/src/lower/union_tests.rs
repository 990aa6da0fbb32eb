//! Unit tests of the union strategies (`unions.rs`, `tagged.rs`): for each, a union it fits, one it
//! does not fit (and which strategy takes it instead), and a broken one with the pointer named.

#[cfg(test)]
mod tests {
    use super::super::test_support::{kind, lower};
    use crate::ir::{Api, TypeKind, TypeRef, UnionTag, DIXA_TAG};

    /// The tag and `(tag, variant, struct)` of a tagged union.
    fn tagged(api: &Api, name: &str) -> (UnionTag, Vec<(String, String, String)>) {
        match kind(api, name) {
            TypeKind::TaggedUnion { tag, variants } => (
                tag.clone(),
                variants
                    .iter()
                    .map(|v| (v.tag.clone(), v.name.to_string(), v.ty.to_string()))
                    .collect(),
            ),
            other => panic!("{name} is not a tagged union: {other:?}"),
        }
    }

    fn triple(tag: &str, name: &str, ty: &str) -> (String, String, String) {
        (tag.to_owned(), name.to_owned(), ty.to_owned())
    }

    const PETS: &str = "
Dog: {type: object, title: Dog_Animal, required: [name], properties: {name: {type: string}}}
Cat: {type: object, required: [lives], properties: {lives: {type: integer}}}";

    #[test]
    fn a_discriminator_with_a_mapping_takes_its_tags_from_the_mapping() {
        let api = lower(&format!(
            "{PETS}
Pet:
  oneOf: [{{$ref: '#/components/schemas/Dog'}}, {{$ref: '#/components/schemas/Cat'}}]
  discriminator:
    propertyName: kind
    mapping: {{puppy: Dog, dog: '#/components/schemas/Dog', kitten: '#/components/schemas/Cat'}}"
        ))
        .unwrap();
        let (tag, variants) = tagged(&api, "Pet");
        assert_eq!(tag.property, "kind");
        assert!(
            !tag.in_variants,
            "no branch declares `kind`: the union writes it"
        );
        assert_eq!(
            variants,
            [
                triple("dog", "Dog", "Dog"),
                triple("puppy", "Puppy", "Dog"),
                triple("kitten", "Kitten", "Cat"),
            ]
        );
    }

    #[test]
    fn a_discriminator_without_a_mapping_tags_by_schema_key_or_for_type_by_title() {
        let union = |property: &str| {
            format!(
                "{PETS}
Pet:
  anyOf: [{{$ref: '#/components/schemas/Dog'}}, {{$ref: '#/components/schemas/Cat'}}]
  discriminator: {{propertyName: {property}}}"
            )
        };
        let (tag, variants) = tagged(&lower(&union("kind")).unwrap(), "Pet");
        assert_eq!(tag.property, "kind");
        assert_eq!(
            variants,
            [triple("Dog", "Dog", "Dog"), triple("Cat", "Cat", "Cat")]
        );
        // Dixa's `_type` keeps Dixa's tags (the title up to the first `_`), as without a discriminator.
        let (tag, variants) = tagged(&lower(&union(DIXA_TAG)).unwrap(), "Pet");
        assert_eq!(tag, UnionTag::dixa());
        assert_eq!(variants[0], triple("Dog", "Dog", "Dog"));
    }

    #[test]
    fn a_discriminator_the_branches_declare_is_written_by_the_variants() {
        let api = lower(
            "A: {type: object, properties: {kind: {type: string}, a: {type: string}}}
B: {type: object, properties: {kind: {type: string}, b: {type: string}}}
U:
  oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]
  discriminator: {propertyName: kind}",
        )
        .unwrap();
        let (tag, _) = tagged(&api, "U");
        assert!(tag.in_variants);
    }

    #[test]
    fn broken_discriminators_name_the_place() {
        let inline = lower(
            "U:
  oneOf: [{type: object, properties: {a: {type: string}}}]
  discriminator: {propertyName: kind}",
        )
        .unwrap_err()
        .to_string();
        assert!(
            inline.contains("#/components/schemas/U/oneOf/0") && inline.contains("must be a $ref"),
            "{inline}"
        );
        let dangling = lower(&format!(
            "{PETS}
U:
  oneOf: [{{$ref: '#/components/schemas/Dog'}}]
  discriminator: {{propertyName: kind, mapping: {{wolf: Wolf}}}}"
        ))
        .unwrap_err()
        .to_string();
        assert!(
            dangling.contains("#/components/schemas/U/discriminator/mapping/wolf"),
            "{dangling}"
        );
        let mixed = lower(
            "A: {type: object, properties: {kind: {type: string}}}
B: {type: object, properties: {b: {type: string}}}
U:
  oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]
  discriminator: {propertyName: kind}",
        )
        .unwrap_err()
        .to_string();
        assert!(
            mixed.contains("#/components/schemas/U") && mixed.contains("A declares"),
            "{mixed}"
        );
        let twice = lower(
            "A: {type: object, properties: {a: {type: string}}}
B: {type: object, properties: {b: {type: string}}}
U:
  oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]
  discriminator: {propertyName: kind, mapping: {A: B}}",
        )
        .unwrap_err()
        .to_string();
        assert!(twice.contains("both be tagged \"A\""), "{twice}");
    }

    const SHAPES: &str = "
Circle: {type: object, required: [type, r], properties: {type: {type: string, enum: [circle]}, r: {type: number}}}
Square: {type: object, required: [type], properties: {type: {type: string, enum: [square]}, side: {type: number}, shade: {type: string, enum: [dark]}}}";

    #[test]
    fn a_property_every_branch_fixes_tags_the_union() {
        let api = lower(&format!(
            "{SHAPES}
Shape:
  oneOf: [{{$ref: '#/components/schemas/Circle'}}, {{$ref: '#/components/schemas/Square'}}]"
        ))
        .unwrap();
        let (tag, variants) = tagged(&api, "Shape");
        assert_eq!(tag.property, "type");
        assert!(tag.in_variants, "the branches declare `type`");
        assert_eq!(
            variants,
            [
                triple("circle", "Circle", "Circle"),
                triple("square", "Square", "Square")
            ]
        );
    }

    #[test]
    fn inline_branches_with_a_fixed_property_become_structs_named_by_their_tag() {
        let api = lower(
            "Stroke:
  oneOf:
    - {type: object, required: [style], properties: {style: {type: string, enum: [solid]}}}
    - {type: object, required: [style, gap], properties: {style: {type: string, enum: [dashed]}, gap: {type: integer}}}",
        )
        .unwrap();
        let (tag, variants) = tagged(&api, "Stroke");
        assert_eq!(tag.property, "style");
        assert_eq!(
            variants,
            [
                triple("solid", "Solid", "StrokeSolid"),
                triple("dashed", "Dashed", "StrokeDashed")
            ]
        );
        assert!(
            matches!(kind(&api, "StrokeDashed"), TypeKind::Struct { fields } if fields.len() == 2)
        );
    }

    #[test]
    fn a_fixed_property_does_not_tag_when_a_branch_lacks_it_or_repeats_a_value() {
        // `Other` has no `type`: not the implicit form, so Dixa's `_type` convention takes the union.
        let api = lower(&format!(
            "{SHAPES}
Other: {{type: object, properties: {{x: {{type: string}}}}}}
Twice: {{type: object, properties: {{type: {{type: string, enum: [circle]}}}}}}
Shape:
  oneOf: [{{$ref: '#/components/schemas/Circle'}}, {{$ref: '#/components/schemas/Other'}}]
Same:
  oneOf: [{{$ref: '#/components/schemas/Circle'}}, {{$ref: '#/components/schemas/Twice'}}]"
        ))
        .unwrap();
        assert_eq!(tagged(&api, "Shape").0, UnionTag::dixa());
        assert_eq!(tagged(&api, "Same").0, UnionTag::dixa());
    }

    #[test]
    fn dixa_type_is_broken_when_a_variant_declares_it() {
        let err = lower(
            "A: {type: object, properties: {_type: {type: string}}}
B: {type: object, properties: {b: {type: string}}}
U: {oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("#/components/schemas/U/oneOf/0")
                && err.contains("declares its own `_type`"),
            "{err}"
        );
    }

    #[test]
    fn any_of_is_nullable_tagged_or_untagged_like_one_of() {
        let api = lower(&format!(
            "{PETS}
Maybe: {{anyOf: [{{$ref: '#/components/schemas/Dog'}}, {{nullable: true}}]}}
Tagged: {{anyOf: [{{$ref: '#/components/schemas/Dog'}}, {{$ref: '#/components/schemas/Cat'}}]}}
Kinds: {{anyOf: [{{type: string}}, {{type: array, items: {{type: string}}}}, {{$ref: '#/components/schemas/Cat'}}]}}"
        ))
        .unwrap();
        assert_eq!(
            kind(&api, "Maybe"),
            &TypeKind::Alias {
                target: TypeRef::Named("Dog".into())
            }
        );
        assert_eq!(tagged(&api, "Tagged").0, UnionTag::dixa());
        let TypeKind::Untagged { variants } = kind(&api, "Kinds") else {
            panic!("Kinds is not untagged");
        };
        let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["String", "StringList", "Cat"]);
        assert!(api.warnings.is_empty(), "{:?}", api.warnings);
    }

    #[test]
    fn untagged_branches_of_strings_arrays_and_objects_get_typed_variants() {
        let api = lower(
            "Ids: {oneOf: [{type: array, items: {type: integer}}, {type: array, items: {type: string}}]}
State: {oneOf: [{type: string, enum: [open]}, {type: object, required: [since], properties: {since: {type: string}}}]}
Contact:
  oneOf:
    - {type: object, required: [email], properties: {email: {type: string}}}
    - {type: object, required: [phone, email], properties: {phone: {type: string}, email: {type: string}}}",
        )
        .unwrap();
        let names = |name: &str| match kind(&api, name) {
            TypeKind::Untagged { variants } => variants
                .iter()
                .map(|v| v.name.to_string())
                .collect::<Vec<_>>(),
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(names("Ids"), ["IntegerList", "StringList"]);
        assert_eq!(names("State"), ["String", "Object"]);
        // The object with more required properties is tried first, so `{email}` cannot take it.
        assert_eq!(names("Contact"), ["Object2", "Object"]);
        assert!(api.warnings.is_empty(), "{:?}", api.warnings);
    }

    #[test]
    fn indistinguishable_branches_fall_back_with_a_warning_naming_the_place() {
        let api = lower(
            "Same: {anyOf: [{type: string}, {type: string, format: date-time}]}
Objects:
  oneOf:
    - {type: object, required: [a], properties: {a: {type: string}}}
    - {type: object, required: [b], properties: {a: {type: string}, b: {type: string}}}",
        )
        .unwrap();
        assert_eq!(
            kind(&api, "Same"),
            &TypeKind::Alias {
                target: TypeRef::Json
            }
        );
        assert_eq!(
            kind(&api, "Objects"),
            &TypeKind::Alias {
                target: TypeRef::Json
            }
        );
        assert!(
            api.warnings
                .iter()
                .any(|w| w.starts_with("#/components/schemas/Same: no anyOf strategy fits")),
            "{:?}",
            api.warnings
        );
        assert!(
            api.warnings
                .iter()
                .any(|w| w.starts_with("#/components/schemas/Objects: no oneOf strategy fits")),
            "{:?}",
            api.warnings
        );
    }

    #[test]
    fn empty_objects_under_type_are_case_objects_and_under_another_property_a_union() {
        let api = lower(
            "A: {type: object, title: A_x}
B: {type: object}
Plain: {oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}
Other:
  oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]
  discriminator: {propertyName: kind}",
        )
        .unwrap();
        match kind(&api, "Plain") {
            TypeKind::StringEnum { values } => {
                let wire: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
                assert_eq!(wire, ["A", "B"]);
            }
            other => panic!("Plain: {other:?}"),
        }
        assert_eq!(tagged(&api, "Other").0.property, "kind");
    }
}
