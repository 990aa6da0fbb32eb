//! The committed SDK is exactly what the generator writes today: the generator runs in memory on the
//! spec, and the test fails (naming the fix) when `generated/` differs, or when `spec/names.lock`
//! does not hold the names the generator gives.

#[test]
fn generated_sdk_is_up_to_date() {
    let root = dixa_tests::root();
    let config = generator::Config::beside(root.join("spec/dixa-api.yaml"));
    let output = generator::generate(&config).unwrap_or_else(|e| panic!("generation failed: {e}"));
    let drift = generator::check(&output.files, &root.join("generated"))
        .unwrap_or_else(|e| panic!("could not compare: {e}"));
    assert!(
        drift.is_empty(),
        "generated/ is out of date with the spec and the generator:\n{drift}\
         run `cargo run -p generator` and commit the result"
    );
    let lock = output.lock.expect("the spec has a lock file beside it");
    assert!(
        lock.is_current()
            .unwrap_or_else(|e| panic!("could not compare: {e}")),
        "{} is out of date: run `cargo run -p generator` and commit the result",
        lock.path.display()
    );
}
