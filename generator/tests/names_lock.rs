//! `names.lock`: the names a regeneration gives are kept by the next one, whatever the new spec adds.
//!
//! Each test writes a small spec (and sometimes a lock or rename table) to a scratch directory,
//! regenerates as `cargo run -p generator` does (lowering with the lock beside the spec, then
//! rewriting it), and compares names by place. Every test that shows a name kept also shows, on the
//! same spec without the lock, that the rules alone would have moved it, so it can fail.

use generator::ir::{Api, PlaceKind, Places};
use generator::{Config, LockFile};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch directory for one test, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("dixa-generator-lock-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    dir
}

/// The base spec: an enumeration named after its field (`Status`), two inline objects whose derived
/// names collide (`X.yZ` and `XY.z` are both `XYZ`, so the second is numbered), a field, optional
/// query parameters (one an enumeration, whose place is its name, not its index) and a method named
/// from its summary.
const BASE: &str = r#"openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /orders:
    get:
      operationId: getOrders
      summary: List orders
      tags: [Orders]
      parameters:
        - {name: pageKey, in: query, schema: {type: string}}
        - {name: sort, in: query, schema: {type: string}, description: 'values: [asc, desc]'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
components:
  schemas:
    Order:
      type: object
      properties:
        userId: {type: string}
        status: {type: string, description: 'values: [open, closed]'}
    X:
      type: object
      properties:
        yZ: {type: object, properties: {a: {type: string}}}
    XY:
      type: object
      properties:
        z: {type: object, properties: {b: {type: integer}}}
"#;

/// Two schemas added whose names are the ones the rules gave the enumeration and the first inline
/// object: without a lock, the enumeration becomes `OrderStatus` and both inline objects move up a
/// number.
fn with_schemas_added(spec: &str) -> String {
    spec.replace(
        "  schemas:\n",
        "  schemas:\n    Status: {type: object, properties: {s: {type: string}}}\n    XYZ: {type: object, properties: {c: {type: boolean}}}\n",
    )
}

/// A property, a query parameter, an operation and an enum value added whose rule names take the
/// existing ones: `user-id` sorts before `userId`, `page_key` is listed before `pageKey`, a second
/// "List orders" sends both operations back to their operationIds, and `Open` comes before `open`.
fn with_members_added(spec: &str) -> String {
    spec.replace("values: [open, closed]", "values: [Open, open, closed]")
        .replace(
        "        userId: {type: string}\n",
        "        user-id: {type: integer}\n        userId: {type: string}\n",
    )
    .replace(
        "        - {name: pageKey,",
        "        - {name: page_key, in: query, schema: {type: integer}}\n        - {name: pageKey,",
    )
    .replace(
        "components:\n",
        "  /orders/archived:\n    get:\n      operationId: getArchivedOrders\n      summary: List orders\n      tags: [Orders]\n      responses: {'204': {description: ok}}\ncomponents:\n",
    )
}

/// Writes `spec` as `spec.yaml` in `dir` and returns its configuration (with the lock beside it).
fn write_spec(dir: &Path, spec: &str) -> Config {
    let path = dir.join("spec.yaml");
    std::fs::write(&path, spec).expect("writable");
    Config::beside(path)
}

/// Lowers as a regeneration does and rewrites the lock file.
fn regenerate(config: &Config) -> Api {
    let api = generator::api(config).unwrap_or_else(|e| panic!("lowers: {e}"));
    let lock = config.lock.as_deref().expect("a lock file");
    LockFile::of(lock, &api)
        .write()
        .expect("the lock is writable");
    api
}

/// The same spec lowered by the rules alone, as it would be without the lock.
fn without_lock(config: &Config) -> Api {
    let config = Config {
        lock: None,
        ..config.clone()
    };
    generator::api(&config).unwrap_or_else(|e| panic!("lowers: {e}"))
}

fn name<'a>(places: &'a Places, kind: PlaceKind, place: &str) -> Option<&'a str> {
    places.get(&(kind, place.to_owned())).map(String::as_str)
}

const STATUS: &str = "#/components/schemas/Order/properties/status";
const X_YZ: &str = "#/components/schemas/X/properties/yZ";
const XY_Z: &str = "#/components/schemas/XY/properties/z";
const USER_ID: &str = "#/components/schemas/Order/properties/userId";

/// Every place of `before` still has its name in `after`.
fn assert_all_kept(before: &Places, after: &Places) {
    for ((kind, place), name) in before {
        assert_eq!(
            after.get(&(*kind, place.clone())),
            Some(name),
            "{} {place} was renamed",
            kind.word()
        );
    }
}

#[test]
fn adding_schemas_renames_no_existing_type() {
    let dir = scratch("schemas-added");
    let base = regenerate(&write_spec(&dir, BASE));
    assert_eq!(name(&base.places, PlaceKind::Type, STATUS), Some("Status"));
    assert_eq!(name(&base.places, PlaceKind::Type, X_YZ), Some("XYZ"));
    assert_eq!(name(&base.places, PlaceKind::Type, XY_Z), Some("XYZ2"));

    let config = write_spec(&dir, &with_schemas_added(BASE));
    // The hazard: the rules alone rename the enumeration and renumber both inline objects.
    let rules = without_lock(&config);
    assert_eq!(
        name(&rules.places, PlaceKind::Type, STATUS),
        Some("OrderStatus")
    );
    assert_eq!(name(&rules.places, PlaceKind::Type, X_YZ), Some("XYZ2"));
    assert_eq!(name(&rules.places, PlaceKind::Type, XY_Z), Some("XYZ3"));

    // With the lock every existing name stays; the new schemas go around them.
    let after = regenerate(&config);
    assert_all_kept(&base.places, &after.places);
    let schema = |key: &str| format!("#/components/schemas/{key}");
    assert_eq!(
        name(&after.places, PlaceKind::Type, &schema("Status")),
        Some("Status2")
    );
    assert_eq!(
        name(&after.places, PlaceKind::Type, &schema("XYZ")),
        Some("XYZ3")
    );
    let types: Vec<&str> = after.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        types,
        ["Order", "Sort", "Status", "Status2", "X", "XY", "XYZ", "XYZ2", "XYZ3"]
    );

    // The rewritten lock records the new places, and regenerating again changes nothing.
    let text = std::fs::read_to_string(dir.join("names.lock")).expect("written");
    assert!(
        text.contains("\ntype #/components/schemas/Status = Status2\n"),
        "{text}"
    );
    let again = regenerate(&config);
    assert_eq!(again.places, after.places);
    assert_eq!(
        std::fs::read_to_string(dir.join("names.lock")).expect("written"),
        text
    );
}

#[test]
fn new_fields_parameters_and_methods_go_around_kept_names() {
    let dir = scratch("members-added");
    let base = regenerate(&write_spec(&dir, BASE));
    let config = write_spec(&dir, &with_members_added(BASE));

    let rules = without_lock(&config);
    assert_eq!(
        name(&rules.places, PlaceKind::Field, USER_ID),
        Some("user_id2")
    );
    assert_eq!(
        name(&rules.places, PlaceKind::Param, "getOrders pageKey"),
        Some("page_key2")
    );
    assert_eq!(
        name(&rules.places, PlaceKind::Method, "orders getOrders"),
        Some("get_orders")
    );
    assert_eq!(
        name(&rules.places, PlaceKind::Variant, "Status open"),
        Some("Open2")
    );

    let after = regenerate(&config);
    // This includes the enumeration of `sort`, which moved from parameter 1 to parameter 2.
    let sort = "#/paths/~1orders/get/parameters/query:sort/schema";
    assert_eq!(name(&base.places, PlaceKind::Type, sort), Some("Sort"));
    assert_all_kept(&base.places, &after.places);
    let user_id = "#/components/schemas/Order/properties/user-id";
    assert_eq!(
        name(&after.places, PlaceKind::Field, user_id),
        Some("user_id2")
    );
    assert_eq!(
        name(&after.places, PlaceKind::Param, "getOrders page_key"),
        Some("page_key2")
    );
    assert_eq!(
        name(&after.places, PlaceKind::Method, "orders getArchivedOrders"),
        Some("get_archived_orders")
    );
    assert_eq!(
        name(&after.places, PlaceKind::Variant, "Status Open"),
        Some("Open2")
    );
    let methods: Vec<&str> = after.groups[0]
        .operations
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(methods, ["list_orders", "get_archived_orders"]);
}

#[test]
fn an_edited_lock_entry_is_kept_and_the_rename_table_wins_over_it() {
    let dir = scratch("edited");
    regenerate(&write_spec(&dir, BASE));
    let lock = dir.join("names.lock");
    let text = std::fs::read_to_string(&lock).expect("written");
    let edited = text
        .replace(
            &format!("type {XY_Z} = XYZ2"),
            &format!("type {XY_Z} = Zed"),
        )
        .replace(
            &format!("field {USER_ID} = user_id"),
            &format!("field {USER_ID} = uid"),
        )
        .replace(
            "method orders getOrders = list_orders",
            "method orders getOrders = orders",
        )
        .replace(
            "param getOrders pageKey = page_key",
            "param getOrders pageKey = key",
        );
    assert_ne!(edited, text, "the lines to edit exist");
    std::fs::write(&lock, &edited).expect("writable");

    let config = write_spec(&dir, BASE);
    let api = regenerate(&config);
    assert_eq!(name(&api.places, PlaceKind::Type, XY_Z), Some("Zed"));
    assert!(api.types.iter().any(|t| t.name == "Zed"));
    assert!(!api.types.iter().any(|t| t.name == "XYZ2"));
    let order = api.types.iter().find(|t| t.name == "Order").expect("Order");
    let generator::ir::TypeKind::Struct { fields } = &order.kind else {
        panic!("Order is a struct")
    };
    assert!(fields.iter().any(|f| f.wire == "userId" && f.name == "uid"));
    let op = &api.groups[0].operations[0];
    assert_eq!(op.name, "orders");
    assert_eq!(op.optional_query[0].name, "key");
    assert_eq!(std::fs::read_to_string(&lock).expect("written"), edited);

    // A name from the rename table wins over the lock's, and the lock follows it.
    std::fs::write(
        dir.join("renames.yaml"),
        format!("types:\n  '{STATUS}': OrderState\noperations:\n  getOrders: list_all_orders\n"),
    )
    .expect("writable");
    let api = regenerate(&write_spec(&dir, BASE));
    assert_eq!(
        name(&api.places, PlaceKind::Type, STATUS),
        Some("OrderState")
    );
    assert_eq!(api.groups[0].operations[0].name, "list_all_orders");
    let text = std::fs::read_to_string(&lock).expect("written");
    assert!(
        text.contains(&format!("type {STATUS} = OrderState\n")),
        "{text}"
    );
    assert!(
        text.contains("method orders getOrders = list_all_orders\n"),
        "{text}"
    );
}

#[test]
fn removing_a_place_drops_its_lines() {
    let dir = scratch("removed");
    regenerate(&write_spec(&dir, BASE));
    let before = std::fs::read_to_string(dir.join("names.lock")).expect("written");
    assert!(before.contains("#/components/schemas/XY/"), "{before}");

    let without_xy = BASE.replace(
        "    XY:\n      type: object\n      properties:\n        z: {type: object, properties: {b: {type: integer}}}\n",
        "",
    );
    assert_ne!(without_xy, BASE);
    let api = regenerate(&write_spec(&dir, &without_xy));
    let after = std::fs::read_to_string(dir.join("names.lock")).expect("written");
    assert!(!after.contains("#/components/schemas/XY"), "{after}");
    assert!(!after.contains("XYZ2"), "{after}");
    // What remains is exactly what the lock held for the remaining places.
    let kept: Vec<&str> = before
        .lines()
        .filter(|l| !l.contains("#/components/schemas/XY"))
        .collect();
    assert_eq!(after.lines().collect::<Vec<_>>(), kept);
    assert_eq!(name(&api.places, PlaceKind::Type, X_YZ), Some("XYZ"));
}

/// Whether an optional list of `Order` is a `Vec` (empty when absent) or an `Option<Vec>`.
fn list_is_vec(api: &Api, field: &str) -> bool {
    let order = api.types.iter().find(|t| t.name == "Order").expect("Order");
    let generator::ir::TypeKind::Struct { fields } = &order.kind else {
        panic!("Order is a struct")
    };
    let f = fields.iter().find(|f| f.wire == field).expect("the field");
    f.empty_when_absent
}

#[test]
fn a_new_operation_sending_a_response_type_keeps_its_lists_as_they_were() {
    let dir = scratch("lists");
    let spec = BASE.replace(
        "        userId: {type: string}\n",
        "        userId: {type: string}\n        notes: {type: array, items: {type: string}}\n",
    );
    assert_ne!(spec, BASE);
    let api = regenerate(&write_spec(&dir, &spec));
    assert!(list_is_vec(&api, "notes"), "a response-only list is a Vec");
    let lock = std::fs::read_to_string(dir.join("names.lock")).expect("written");
    assert!(
        lock.contains("list #/components/schemas/Order/properties/notes = Vec"),
        "{lock}"
    );

    // A new operation sends `Order`: by the rules alone, its lists would become `Option<Vec>`,
    // which breaks code that compiled against the `Vec`.
    let sent = spec.replace(
        "components:\n",
        "  /orders/import:\n    post:\n      operationId: importOrder\n      tags: [Orders]\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Order'}\n      responses: {'204': {description: ok}}\ncomponents:\n",
    );
    assert_ne!(sent, spec);
    let config = write_spec(&dir, &sent);
    assert!(!list_is_vec(&without_lock(&config), "notes"));
    let api = regenerate(&config);
    assert!(list_is_vec(&api, "notes"), "the lock keeps the Vec");

    // A new list field of the now-sent type follows the rule: absent and empty differ in a request.
    let more = sent.replace(
        "        notes: {type: array, items: {type: string}}\n",
        "        notes: {type: array, items: {type: string}}\n        labels: {type: array, items: {type: string}}\n",
    );
    let api = regenerate(&write_spec(&dir, &more));
    assert!(list_is_vec(&api, "notes"));
    assert!(!list_is_vec(&api, "labels"));
    let lock = std::fs::read_to_string(dir.join("names.lock")).expect("written");
    assert!(
        lock.contains("list #/components/schemas/Order/properties/labels = Option"),
        "{lock}"
    );
}

/// Lowers BASE with its members added, with `lock` as the lock file (and `renames` as the rename
/// table when it is not empty), and returns the error.
fn error_with_lock(name: &str, lock: &str, renames: &str) -> String {
    let dir = scratch(name);
    std::fs::write(dir.join("names.lock"), lock).expect("writable");
    if !renames.is_empty() {
        std::fs::write(dir.join("renames.yaml"), renames).expect("writable");
    }
    match generator::api(&write_spec(&dir, &with_members_added(BASE))) {
        Ok(_) => panic!("{name}: the lock should be refused"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn lock_conflicts_and_bad_names_are_errors_naming_the_entry() {
    for (case, lock, needles) in [
        (
            "two-schemas",
            "type #/components/schemas/Order = Order\ntype #/components/schemas/X = Order\n",
            &["names.lock", "type #/components/schemas/X = Order", "#/components/schemas/Order"][..],
        ),
        (
            "inline-and-inline",
            "type #/components/schemas/X/properties/yZ = Same\ntype #/components/schemas/XY/properties/z = Same\n",
            &["names.lock", "= Same", "is also the name of"][..],
        ),
        (
            "inline-and-schema",
            "type #/components/schemas/Order = Order\ntype #/components/schemas/Order/properties/status = Order\n",
            &["names.lock", "type #/components/schemas/Order/properties/status = Order"][..],
        ),
        (
            "fields",
            "field #/components/schemas/Order/properties/userId = state\nfield #/components/schemas/Order/properties/status = state\n",
            &["names.lock", "= state", "#/components/schemas/Order/properties/"][..],
        ),
        ("invalid", "type #/components/schemas/Order = order\n", &["names.lock", "line 1", "`order` is not a valid type name"][..]),
        (
            "variants",
            "variant Status open = Unknown\n",
            &["names.lock", "`variant Status open = Unknown`", "the fallback for unknown values"][..],
        ),
        (
            "methods",
            "method orders getOrders = list_orders\nmethod orders getArchivedOrders = list_orders\n",
            &["names.lock", "`method orders getArchivedOrders = list_orders`", "also the name of getOrders"][..],
        ),
        (
            "params",
            "param getOrders pageKey = key\nparam getOrders sort = key\n",
            &["names.lock", "`param getOrders sort = key`"][..],
        ),
    ] {
        let message = error_with_lock(case, lock, "");
        for needle in needles {
            assert!(message.contains(needle), "{case}: expected {needle:?} in: {message}");
        }
    }
    // A rename that takes a locked method's name names the lock's line.
    let message = error_with_lock(
        "renamed-method",
        "method orders getOrders = list_orders\n",
        "operations:\n  getArchivedOrders: list_orders\n",
    );
    for needle in [
        "names.lock",
        "`method orders getOrders = list_orders`",
        "the rename table gives `list_orders` to getArchivedOrders",
    ] {
        assert!(
            message.contains(needle),
            "expected {needle:?} in: {message}"
        );
    }
    // So does a rename that takes a locked inline type's name.
    let message = error_with_lock(
        "renamed-type",
        &format!("type {XY_Z} = Sorted\n"),
        &format!("types:\n  '{STATUS}': Sorted\n"),
    );
    for needle in ["names.lock", &format!("`type {XY_Z} = Sorted`"), STATUS] {
        assert!(
            message.contains(needle),
            "expected {needle:?} in: {message}"
        );
    }
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("the generator runs")
}

#[test]
fn check_fails_naming_a_stale_or_missing_lock() {
    let dir = scratch("check");
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, BASE).expect("writable");
    let out = dir.join("out");
    let (spec_arg, out_arg) = (spec.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
    let check = || run(&["--spec", spec_arg, "--out", out_arg, "--check"]);
    // `--no-lock` neither reads nor writes one.
    let unlocked = run(&["--spec", spec_arg, "--out", out_arg, "--no-lock"]);
    assert_eq!(unlocked.status.code(), Some(0));
    assert!(!dir.join("names.lock").exists());
    let generate = run(&["--spec", spec_arg, "--out", out_arg]);
    assert_eq!(generate.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&generate.stdout).contains("names.lock updated"));
    assert_eq!(check().status.code(), Some(0));

    // A lock that lost a line: the SDK is the same (the rules give that field the same name), but
    // the lock no longer says so.
    let lock = dir.join("names.lock");
    let text = std::fs::read_to_string(&lock).expect("written");
    let line = format!("field {USER_ID} = user_id\n");
    std::fs::write(&lock, text.replace(&line, "")).expect("writable");
    for stale in ["edited", "missing"] {
        if stale == "missing" {
            std::fs::remove_file(&lock).expect("removable");
        }
        let output = check();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stale}: {stderr}");
        assert!(
            stderr.contains(&format!("{} is out of date", lock.display())),
            "{stale}: {stderr}"
        );
        assert!(
            !stderr.contains("stale:"),
            "{stale}: the SDK itself is current: {stderr}"
        );
        assert!(
            stderr.contains("fix: cargo run -p generator"),
            "{stale}: {stderr}"
        );
    }
    assert_eq!(
        run(&["--spec", spec_arg, "--out", out_arg]).status.code(),
        Some(0)
    );
    assert_eq!(std::fs::read_to_string(&lock).expect("rewritten"), text);
    assert_eq!(check().status.code(), Some(0));
    // A regeneration that changes nothing does not touch the lock.
    let unchanged = run(&["--spec", spec_arg, "--out", out_arg]);
    assert!(!String::from_utf8_lossy(&unchanged.stdout).contains("names.lock updated"));
}

#[test]
fn diff_names_both_sides_with_the_project_lock() {
    let dir = scratch("diff");
    let (old, new) = (dir.join("old"), dir.join("new"));
    std::fs::create_dir_all(&old).expect("writable");
    std::fs::create_dir_all(&new).expect("writable");
    regenerate(&write_spec(&old, BASE));
    std::fs::write(new.join("spec.yaml"), with_schemas_added(BASE)).expect("writable");
    let diff = || {
        run(&[
            "diff",
            old.join("spec.yaml").to_str().expect("utf-8"),
            new.join("spec.yaml").to_str().expect("utf-8"),
        ])
    };
    let with_lock = diff();
    let markdown = String::from_utf8_lossy(&with_lock.stdout);
    assert_eq!(with_lock.status.code(), Some(0), "{markdown}");
    assert!(
        markdown.contains("Status2") && markdown.contains("XYZ3"),
        "{markdown}"
    );
    assert!(!markdown.contains("OrderStatus"), "{markdown}");
    assert!(!new.join("names.lock").exists(), "diff writes no lock");

    // Without the lock the same change looks like renamed and reshaped types: breaking.
    std::fs::remove_file(old.join("names.lock")).expect("removable");
    let without = diff();
    let markdown = String::from_utf8_lossy(&without.stdout);
    assert_eq!(without.status.code(), Some(1), "{markdown}");
    assert!(markdown.contains("OrderStatus"), "{markdown}");
}

/// The real spec (overrides, renames and the committed lock) with schemas added under the names
/// the rules gave four enumerations: every name of the committed lock stays.
#[test]
fn adding_schemas_to_the_real_spec_renames_nothing() {
    use generator::lower::lower;
    use generator::policy::NameLock;

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config = Config::beside(root.join("spec/dixa-api.yaml"));
    let (overrides, renames, lock) = generator::policies(&config).expect("the policy files");
    let base = lower(
        &generator::lower::parse(overrides.load(&config.spec).expect("loads")).expect("loads"),
        &renames,
        &lock,
    )
    .expect("lowers");
    let mut tree = overrides.load(&config.spec).expect("loads");
    let added = ["Strategy", "RatingStatus", "PresenceStatus", "TagState"];
    let schemas = tree["components"]["schemas"]
        .as_object_mut()
        .expect("schemas");
    for key in added {
        assert!(!schemas.contains_key(key), "{key} is new");
        schemas.insert(
            key.to_owned(),
            serde_json::json!({"type": "object", "properties": {"x": {"type": "string"}}}),
        );
    }
    let spec = generator::lower::parse(tree).expect("still OpenAPI");

    // The rules alone give the four names to the new schemas and move the enumerations.
    let rules = lower(&spec, &renames, &NameLock::none()).expect("lowers");
    let moved: Vec<&(PlaceKind, String)> = base
        .places
        .iter()
        .filter(|(place, name)| {
            place.0 == PlaceKind::Type && rules.places.get(*place) != Some(*name)
        })
        .map(|(place, _)| place)
        .collect();
    // Five places of four enumerations (whose variants, keyed by type, move with them).
    assert_eq!(moved.len(), 5, "{moved:?}");

    let after = lower(&spec, &renames, &lock).expect("lowers");
    assert_all_kept(&base.places, &after.places);
    for key in added {
        let place = format!("#/components/schemas/{key}");
        assert_eq!(
            name(&after.places, PlaceKind::Type, &place),
            Some(format!("{key}2").as_str())
        );
    }
}

/// Upstream renames a schema key (as Dixa's v1 and beta descriptions differ in `Select`/`Select1`):
/// one lock line for the new key keeps the Rust name, and the places that moved with it are free
/// to take their old names again, because the lines of places that are gone no longer hold them.
#[test]
fn a_renamed_schema_key_keeps_its_name_with_one_lock_line() {
    let dir = scratch("key-renamed");
    let base = regenerate(&write_spec(&dir, BASE));
    let renamed = BASE.replace("    X:\n", "    X1:\n");
    let config = write_spec(&dir, &renamed);
    let rules = without_lock(&config);
    let x1 = "#/components/schemas/X1";
    assert_eq!(name(&rules.places, PlaceKind::Type, x1), Some("X1"));

    let lock = dir.join("names.lock");
    let mut text = std::fs::read_to_string(&lock).expect("written");
    text.push_str(&format!("type {x1} = X\n"));
    std::fs::write(&lock, text).expect("writable");
    let after = regenerate(&config);
    assert_eq!(name(&after.places, PlaceKind::Type, x1), Some("X"));
    // The inline object moved to a new place and gets its old name back from the rules, while
    // `XY.z` keeps `XYZ2` from the lock.
    let moved = "#/components/schemas/X1/properties/yZ";
    assert_eq!(name(&after.places, PlaceKind::Type, moved), Some("XYZ"));
    assert_eq!(name(&after.places, PlaceKind::Type, XY_Z), Some("XYZ2"));
    let names = |api: &Api| api.types.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&after), names(&base));
    let text = std::fs::read_to_string(&lock).expect("rewritten");
    assert!(!text.contains("#/components/schemas/X ="), "{text}");
    assert!(!text.contains("#/components/schemas/X/"), "{text}");
}

/// A list answered in a `{data}` envelope, and a paginated one whose envelope also has `meta`.
const ENVELOPES: &str = r#"openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /tags:
    get:
      operationId: getTags
      tags: [Tags]
      parameters:
        - {name: includeDeactivated, in: query, schema: {type: boolean}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ListTagsOutput'}
  /agents:
    get:
      operationId: getAgents
      tags: [Agents]
      parameters:
        - {name: pageLimit, in: query, schema: {type: integer, format: int32}}
        - {name: pageKey, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ListAgentsOutput'}
components:
  schemas:
    Tag:
      type: object
      required: [id]
      properties:
        id: {type: string}
    Agent:
      type: object
      required: [id]
      properties:
        id: {type: string}
    PaginationLinks:
      type: object
      properties:
        next: {type: string}
    ListTagsOutput:
      type: object
      properties:
        data: {type: array, items: {$ref: '#/components/schemas/Tag'}}
    ListAgentsOutput:
      type: object
      properties:
        data: {type: array, items: {$ref: '#/components/schemas/Agent'}}
        meta: {$ref: '#/components/schemas/PaginationLinks'}
"#;

/// The operation with the given operationId.
fn operation<'a>(api: &'a Api, id: &str) -> &'a generator::ir::Operation {
    api.groups
        .iter()
        .flat_map(|g| &g.operations)
        .find(|op| op.id == id)
        .expect("the operation")
}

/// What awaiting an operation returns, as Rust, and whether its builder has `send_envelope`.
fn result_of(api: &Api, id: &str) -> (String, bool) {
    use generator::ir::ResponseKind;
    match &operation(api, id).response.kind {
        ResponseKind::Data { data, more, .. } => (data.rust("", ""), *more),
        ResponseKind::Json(ty) => (ty.rust("", ""), false),
        ResponseKind::Empty => ("()".to_owned(), false),
        other => panic!("{id} answers {other:?}, not JSON"),
    }
}

/// `GET /tags` gains cursor pagination the way Dixa's other lists have it (`meta` in its envelope,
/// `pageLimit`/`pageKey`): by the rules alone `list_tags()` would return the envelope instead of
/// `Vec<Tag>`; the lock's `result` line keeps `Vec<Tag>` and the new capability comes as
/// `pages`/`items` and `send_envelope`. An envelope returned whole keeps being returned whole when
/// its other members go, and `generator diff` calls the growth additive.
#[test]
fn an_envelope_that_grows_keeps_its_result_type() {
    let dir = scratch("envelope-grows");
    let base = regenerate(&write_spec(&dir, ENVELOPES));
    assert_eq!(result_of(&base, "getTags"), ("Vec<Tag>".to_owned(), false));
    assert_eq!(
        result_of(&base, "getAgents"),
        ("ListAgentsOutput".to_owned(), false)
    );
    assert_eq!(
        name(&base.places, PlaceKind::Result, "getTags"),
        Some("data")
    );
    assert_eq!(
        name(&base.places, PlaceKind::Result, "getAgents"),
        Some("body")
    );
    assert!(operation(&base, "getTags").pagination.is_none());

    let grown = ENVELOPES
        .replace(
            "        data: {type: array, items: {$ref: '#/components/schemas/Tag'}}\n",
            "        data: {type: array, items: {$ref: '#/components/schemas/Tag'}}\n        meta: {$ref: '#/components/schemas/PaginationLinks'}\n",
        )
        .replace(
            "        - {name: includeDeactivated, in: query, schema: {type: boolean}}\n",
            "        - {name: includeDeactivated, in: query, schema: {type: boolean}}\n        - {name: pageLimit, in: query, schema: {type: integer, format: int32}}\n        - {name: pageKey, in: query, schema: {type: string}}\n",
        )
        // The other envelope loses its `meta` (and with it the pagination).
        .replace(
            "        data: {type: array, items: {$ref: '#/components/schemas/Agent'}}\n        meta: {$ref: '#/components/schemas/PaginationLinks'}\n",
            "        data: {type: array, items: {$ref: '#/components/schemas/Agent'}}\n",
        );
    assert_eq!(grown.matches("meta:").count(), 1, "{grown}");
    let old = dir.join("old");
    std::fs::create_dir_all(&old).expect("writable");
    std::fs::write(old.join("spec.yaml"), ENVELOPES).expect("writable");
    std::fs::copy(dir.join("names.lock"), old.join("names.lock")).expect("copyable");
    let config = write_spec(&dir, &grown);
    let rules = without_lock(&config);
    assert_eq!(
        result_of(&rules, "getTags"),
        ("ListTagsOutput".to_owned(), false)
    );
    assert_eq!(
        result_of(&rules, "getAgents"),
        ("Vec<Agent>".to_owned(), false)
    );

    let after = regenerate(&config);
    assert_eq!(result_of(&after, "getTags"), ("Vec<Tag>".to_owned(), true));
    let pages = operation(&after, "getTags").pagination.as_ref();
    assert_eq!(pages.map(|p| p.item.rust("", "")), Some("Tag".to_owned()));
    assert_eq!(
        result_of(&after, "getAgents"),
        ("ListAgentsOutput".to_owned(), false)
    );
    let lock = std::fs::read_to_string(dir.join("names.lock")).expect("written");
    assert!(lock.contains("result getTags = data\n"), "{lock}");
    assert!(lock.contains("result getAgents = body\n"), "{lock}");

    // The builder offers the envelope whole and the pages.
    let files = generator::generate(&config).expect("generates").files;
    let tags = files
        .iter()
        .find(|(path, _)| path.ends_with("apis/tags.rs"))
        .map(|(_, text)| text)
        .expect("the tags module");
    assert!(tags.contains("pub fn send_envelope("), "{tags}");
    assert!(tags.contains("pages of crate::models::Tag"), "{tags}");
    assert!(
        tags.contains("crate::runtime::call::Call<Vec<crate::models::Tag>>"),
        "{tags}"
    );

    // `generator diff` compares what users see: the tags list grew (additive); the agents list
    // lost its pagination (breaking) but kept its result.
    let out = run(&[
        "diff",
        old.join("spec.yaml").to_str().expect("utf-8"),
        dir.join("spec.yaml").to_str().expect("utf-8"),
    ]);
    let markdown = String::from_utf8_lossy(&out.stdout);
    assert!(
        markdown.contains("`GET /tags`: now paginated")
            && markdown.contains(
                "`GET /tags`: the whole `ListTagsOutput` envelope added as `.send_envelope()`"
            )
            && markdown.contains("**breaking** `GET /agents`: no longer paginated"),
        "{markdown}"
    );
    assert!(!markdown.contains("result changed"), "{markdown}");
}

/// An inline enumeration moved into a component schema with the same values (`Order.status`, named
/// `Status`, now `$ref: OrderState`) keeps its Rust name and its variants' names; with one more
/// value it is another type, and the component is named by the rules.
#[test]
fn an_inline_enum_moved_into_a_component_keeps_its_name() {
    let dir = scratch("enum-moved");
    let base = regenerate(&write_spec(&dir, BASE));
    assert_eq!(name(&base.places, PlaceKind::Type, STATUS), Some("Status"));
    let old = dir.join("old");
    std::fs::create_dir_all(&old).expect("writable");
    std::fs::write(old.join("spec.yaml"), BASE).expect("writable");
    std::fs::copy(dir.join("names.lock"), old.join("names.lock")).expect("copyable");

    let moved_to = |values: &str| {
        BASE.replace(
            "        status: {type: string, description: 'values: [open, closed]'}\n",
            "        status: {$ref: '#/components/schemas/OrderState'}\n",
        )
        .replace(
            "  schemas:\n",
            &format!("  schemas:\n    OrderState: {{type: string, enum: [{values}]}}\n"),
        )
    };
    let moved = moved_to("closed, open");
    assert_ne!(moved, BASE);
    let config = write_spec(&dir, &moved);
    let state = "#/components/schemas/OrderState";
    assert_eq!(
        name(&without_lock(&config).places, PlaceKind::Type, state),
        Some("OrderState")
    );
    let after = regenerate(&config);
    assert_eq!(name(&after.places, PlaceKind::Type, state), Some("Status"));
    assert_eq!(name(&after.places, PlaceKind::Type, STATUS), None);
    assert_eq!(
        name(&after.places, PlaceKind::Variant, "Status open"),
        name(&base.places, PlaceKind::Variant, "Status open")
    );
    let out = run(&[
        "diff",
        old.join("spec.yaml").to_str().expect("utf-8"),
        dir.join("spec.yaml").to_str().expect("utf-8"),
    ]);
    let markdown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{markdown}");
    assert!(markdown.contains("No changes for SDK users."), "{markdown}");

    // Other values: a change of shape, so the rules name the component.
    let dir = scratch("enum-moved-other-values");
    regenerate(&write_spec(&dir, BASE));
    let after = regenerate(&write_spec(&dir, &moved_to("open, closed, held")));
    assert_eq!(
        name(&after.places, PlaceKind::Type, state),
        Some("OrderState")
    );
}
