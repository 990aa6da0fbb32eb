//! The command line: exit status 0 with one summary line on success, 1 when `--check` finds drift,
//! 2 with a message naming the place for any bad input, and never a panic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch directory for one test, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("dixa-generator-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    dir
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("the generator runs")
}

/// Writes `spec` to a scratch directory and runs the generator on it.
fn generate(name: &str, spec: &str, extra: &[&str]) -> (Output, PathBuf) {
    let dir = scratch(name);
    let spec_path = dir.join("spec.yaml");
    std::fs::write(&spec_path, spec).expect("writable");
    let out = dir.join("out");
    let mut args = vec![
        "--spec",
        spec_path.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    (run(&args), out)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_fails_with(output: &Output, needles: &[&str]) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for needle in needles {
        assert!(err.contains(needle), "expected {needle:?} in: {err}");
    }
}

const HEADER: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

#[test]
fn missing_spec_file() {
    let output = run(&["--spec", "/nonexistent/spec.yaml", "--out", "/tmp/unused"]);
    assert_fails_with(&output, &["/nonexistent/spec.yaml", "No such file"]);
}

#[test]
fn malformed_yaml_names_line_and_column() {
    let (output, _) = generate("yaml", "openapi: 3.0.3\npaths: [\n  a: b\n", &[]);
    assert_fails_with(&output, &["invalid YAML", "line "]);
}

#[test]
fn unsupported_versions() {
    let (output, _) = generate(
        "swagger",
        "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n",
        &[],
    );
    assert_fails_with(&output, &["Swagger", "3.0.x and 3.1.x"]);
    let (output, _) = generate(
        "v4",
        "openapi: 4.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n",
        &[],
    );
    assert_fails_with(&output, &["#/openapi", "4.0.0", "3.0.x and 3.1.x"]);
    let (output, _) = generate(
        "v31",
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n",
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn errors_and_warnings_of_a_3_1_spec_name_the_places_as_written() {
    // Two types are read as a `oneOf` with a branch per type, one level down; the error and the
    // warning below still name the properties as written.
    let spec = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\ncomponents:\n  schemas:\n    A:\n      type: [string, object]\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n";
    let (output, _) = generate("dangling31", spec, &[]);
    assert_fails_with(
        &output,
        &["#/components/schemas/A/properties/b:", "Missing"],
    );
    let spec = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\ncomponents:\n  schemas:\n    A:\n      type: [string, object]\n      properties:\n        b: {type: array, prefixItems: [{type: string}]}\n        c: {not: {}}\n";
    let (output, _) = generate("warning31", spec, &["-v"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    for place in [
        "#/components/schemas/A/properties/b/prefixItems: ",
        "#/components/schemas/A/properties/c: ",
    ] {
        assert!(err.contains(place), "{place} in {err}");
    }
}

#[test]
fn dangling_ref_names_its_pointer() {
    let spec = format!(
        "{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/Missing'}}\n"
    );
    let (output, _) = generate("dangling", &spec, &[]);
    assert_fails_with(&output, &["#/components/schemas/A/properties/b", "Missing"]);
}

#[test]
fn colliding_type_names() {
    let spec = format!(
        "{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    Foo_Bar: {{type: object}}\n    FooBar: {{type: object}}\n"
    );
    let (output, _) = generate("collision", &spec, &[]);
    assert_fails_with(&output, &["name collision", "Foo_Bar", "FooBar"]);
}

#[test]
fn duplicate_operation_ids() {
    let op = "responses: {'204': {description: ok}}";
    let spec = format!(
        "{HEADER}paths:\n  /a:\n    get: {{operationId: same, {op}}}\n  /b:\n    get: {{operationId: same, {op}}}\n"
    );
    let (output, _) = generate("dupid", &spec, &[]);
    assert_fails_with(&output, &["duplicate operationId", "same"]);
}

#[test]
fn success_prints_one_summary_line_and_check_detects_drift() {
    let spec = format!(
        "{HEADER}paths:\n  /a/{{id}}:\n    get:\n      operationId: getA\n      summary: Get a\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/A'}}\ncomponents:\n  schemas:\n    A: {{type: object, properties: {{x: {{type: string}}}}}}\n"
    );
    let (output, out) = generate("ok", &spec, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("1 types, 1 operations"), "{stdout}");
    assert!(Path::new(&out).join("src/models.rs").exists());

    let spec_path = out.parent().expect("scratch dir").join("spec.yaml");
    let args = |check: bool| {
        let mut a = vec![
            "--spec".to_owned(),
            spec_path.display().to_string(),
            "--out".to_owned(),
            out.display().to_string(),
        ];
        if check {
            a.push("--check".to_owned());
        }
        a
    };
    let check = |args: Vec<String>| {
        Command::new(env!("CARGO_BIN_EXE_generator"))
            .args(args)
            .output()
            .expect("runs")
    };
    assert_eq!(check(args(true)).status.code(), Some(0));

    std::fs::write(out.join("src/models.rs"), "// edited by hand\n").expect("writable");
    std::fs::write(out.join("src/extra.rs"), "\n").expect("writable");
    std::fs::remove_file(out.join("src/lib.rs")).expect("exists");
    let drift = check(args(true));
    let err = stderr(&drift);
    assert_eq!(drift.status.code(), Some(1), "{err}");
    for needle in [
        "stale: src/models.rs",
        "missing: src/lib.rs",
        "extra: src/extra.rs",
        "cargo run -p generator",
    ] {
        assert!(err.contains(needle), "expected {needle:?} in: {err}");
    }
    // Regenerating repairs all three, and a second run writes nothing.
    assert_eq!(check(args(false)).status.code(), Some(0));
    assert_eq!(check(args(true)).status.code(), Some(0));
    let again = String::from_utf8_lossy(&check(args(false)).stdout).into_owned();
    assert!(again.contains("(0 written, 0 deleted)"), "{again}");
}

/// The robustness corpus (`tests/robustness/`, with `expectations.yaml`) through the binary: every
/// case that must fail exits with status 2 and its message, never a panic; every other case exits
/// with 0 and prints its expected warnings with `-v`. (`tests/robustness.rs` checks the same corpus
/// through the library in more detail, and compiles the generated crates.)
#[test]
fn robustness_corpus_exit_statuses() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/robustness");
    let expectations = corpus.join("expectations.yaml");
    let text = std::fs::read_to_string(&expectations).expect("the corpus has expectations");
    let tree = generator::load::parse_yaml(&expectations, &text).expect("valid YAML");
    let entries = tree.as_object().expect("a mapping of file names");
    assert!(entries.len() > 10, "the corpus is there");
    let strings = |value: Option<&serde_json::Value>| -> Vec<String> {
        value
            .and_then(|v| v.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let out = scratch("corpus");
    let mut problems = Vec::new();
    for (file, entry) in entries {
        let spec = corpus.join(file);
        let target = out.join(file.trim_end_matches(".yaml"));
        let output = run(&[
            "--spec",
            spec.to_str().expect("utf-8 path"),
            "--out",
            target.to_str().expect("utf-8 path"),
            "-v",
            // The corpus specs share a directory, which must not get a lock of their names.
            "--no-lock",
        ]);
        let err = stderr(&output);
        if err.contains("panicked") {
            problems.push(format!("{file}: panicked: {err}"));
        }
        let (status, needles) = match entry.get("fails") {
            Some(needles) => (2, strings(Some(needles))),
            None => (0, strings(entry.get("warns"))),
        };
        if output.status.code() != Some(status) {
            problems.push(format!(
                "{file}: exit status {:?}, expected {status}: {err}",
                output.status.code()
            ));
        }
        for needle in needles {
            if !err.contains(&needle) {
                problems.push(format!("{file}: {needle:?} is not in stderr: {err}"));
            }
        }
        if status == 0 {
            let warnings = err.lines().filter(|l| l.starts_with("warning: ")).count();
            let expected = strings(entry.get("warns")).len();
            if warnings != expected {
                problems.push(format!(
                    "{file}: {warnings} warnings printed, {expected} expected: {err}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Runs the generator from the workspace root, where the project's `spec/` is.
fn run_in_project(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .args(args)
        .output()
        .expect("the generator runs")
}

#[test]
fn the_project_s_policy_applies_to_a_spec_read_from_elsewhere() {
    let dir = scratch("policy-elsewhere");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let copy = dir.join("downloaded.yaml");
    std::fs::copy(root.join("spec/dixa-api.yaml"), &copy).expect("the spec copies");
    let copy = copy.to_str().expect("utf-8 path");
    let checked = run_in_project(&["--spec", copy, "--check"]);
    let out = String::from_utf8_lossy(&checked.stdout);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    assert!(
        out.contains("policy: spec/overrides.yaml, spec/renames.yaml, spec/names.lock"),
        "{out}"
    );
    // Without the corrections the SDK differs, so `--check` says so (and names no policy file).
    let raw = run_in_project(&["--spec", copy, "--no-overrides", "--no-renames", "--check"]);
    assert_eq!(raw.status.code(), Some(1), "{}", stderr(&raw));
}

#[test]
fn every_stale_override_is_named_in_one_run() {
    let dir = scratch("stale-overrides");
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        format!("{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: object}}\n"),
    )
    .expect("writable");
    let overrides = dir.join("overrides.yaml");
    std::fs::write(
        &overrides,
        "patches:\n\
         - {pointer: /components/schemas/Gone1, value: {type: string}, reason: r}\n\
         - {pointer: /components/schemas/A/type, expect: array, value: object, reason: r}\n\
         - {pointer: /components/schemas/Gone3/x, op: remove, reason: r}\n",
    )
    .expect("writable");
    let output = run(&[
        "--spec",
        spec.to_str().expect("utf-8 path"),
        "--overrides",
        overrides.to_str().expect("utf-8 path"),
        "--no-lock",
        "--out",
        dir.join("out").to_str().expect("utf-8 path"),
    ]);
    assert_fails_with(
        &output,
        &[
            "3 stale overrides",
            "/components/schemas/Gone1",
            "/components/schemas/A/type",
            "/components/schemas/Gone3/x",
        ],
    );
}

/// A spec whose subscription enum has two events, for the webhooks description tests.
const WEBHOOK_API: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Subscription:
      type: object
      properties:
        events:
          type: array
          items: {type: string, enum: [ThingCreated, ThingGone]}
"#;

/// A webhooks description of `ThingCreated` with `extra` appended under `webhooks`.
fn webhooks_yaml(extra: &str, schema_name: &str) -> String {
    format!(
        r#"
openapi: 3.1.0
info: {{title: hooks, version: '1'}}
x-event-types: '#/components/schemas/Subscription/properties/events/items'
webhooks:
  ThingCreated:
    post:
      summary: A thing was created.
      requestBody: {{content: {{application/json: {{schema: {{allOf: [{{$ref: '#/components/schemas/Envelope'}}, {{properties: {{data: {{$ref: '#/components/schemas/{schema_name}'}}}}}}]}}}}}}}}
{extra}
components:
  schemas:
    Envelope:
      type: object
      required: [event_id, event_fqn, data]
      properties:
        event_id: {{type: string}}
        event_fqn: {{type: string}}
        data: {{type: object}}
    {schema_name}:
      type: object
      properties:
        name: {{type: [string, 'null']}}
"#
    )
}

fn generate_with_webhooks(name: &str, webhooks: &str) -> (Output, PathBuf) {
    let dir = scratch(name);
    std::fs::write(dir.join("webhooks.yaml"), webhooks).expect("writable");
    let spec_path = dir.join("spec.yaml");
    std::fs::write(&spec_path, WEBHOOK_API).expect("writable");
    let out = dir.join("out");
    let output = run(&[
        "--spec",
        spec_path.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
        "--verbose",
    ]);
    (output, out)
}

#[test]
fn webhooks_description_beside_the_spec_is_generated() {
    let (output, out) = generate_with_webhooks("webhooks-ok", &webhooks_yaml("", "ThingData"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // The subscription API's other event is not described: a warning, and raw data.
    assert!(
        stderr(&output).contains("ThingGone is not described"),
        "{}",
        stderr(&output)
    );
    let events = std::fs::read_to_string(out.join("src/webhooks/events.rs")).expect("written");
    for needle in [
        // Webhook types say they are what an event carries (`naming::webhook_type_name`).
        "ThingCreated(EventThingData)",
        "ThingGone(serde_json::Value)",
        "\"THING_CREATED\"",
        "\"THING_GONE\"",
        "pub struct EventThingData",
        "pub name: Option<String>",
    ] {
        assert!(events.contains(needle), "{needle} in\n{events}");
    }
    let cargo = std::fs::read_to_string(out.join("Cargo.toml")).expect("written");
    assert!(cargo.contains("webhook-events = []"), "{cargo}");
}

#[test]
fn webhooks_description_errors_name_the_place() {
    let unknown = "  Nope:\n    post:\n      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Envelope'}}}}\n";
    let (output, _) =
        generate_with_webhooks("webhooks-unknown", &webhooks_yaml(unknown, "ThingData"));
    assert_fails_with(&output, &["webhooks.yaml#/webhooks/Nope", "not an event"]);

    let (output, _) = generate_with_webhooks("webhooks-reserved", &webhooks_yaml("", "Event"));
    assert_fails_with(&output, &["`Event`", "dixa::webhooks already defines"]);

    let old = webhooks_yaml("", "ThingData").replace("openapi: 3.1.0", "openapi: 3.0.3");
    let (output, _) = generate_with_webhooks("webhooks-version", &old);
    assert_fails_with(&output, &["webhooks.yaml#/openapi", "3.1"]);

    let odd_body = webhooks_yaml("", "ThingData").replace("allOf", "anyOf");
    let (output, _) = generate_with_webhooks("webhooks-body", &odd_body);
    assert_fails_with(
        &output,
        &["webhooks.yaml#/webhooks/ThingCreated/post/requestBody"],
    );
}

#[test]
fn wire_spec_keeps_bodies_beyond_json_and_several_2xx_responses() {
    let dir = scratch("wire-spec-content-types");
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/content_types.yaml");
    let out = dir.join("wire.json");
    let output = run(&[
        "--spec",
        fixture.to_str().expect("utf-8 path"),
        "--no-lock",
        "wire-spec",
        "--output",
        out.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let wire: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("JSON");
    let responses = &wire["paths"]["/jobs"]["post"]["responses"];
    assert!(
        ["200", "202", "204"]
            .iter()
            .all(|s| responses.get(s).is_some()),
        "{responses}"
    );
    let content = &wire["paths"]["/login"]["post"]["requestBody"]["content"];
    assert!(
        content.get("application/x-www-form-urlencoded").is_some(),
        "{content}"
    );
    assert!(wire["paths"]["/notes"]["post"]["requestBody"]["content"]["text/plain"].is_object());
}
