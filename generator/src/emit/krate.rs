//! The crate around the generated code: `Cargo.toml`, `lib.rs`, and the hand-written runtime.
//!
//! The runtime lives in `generator/runtime/` as ordinary Rust, a crate of its own (`dixa-runtime`)
//! that is built, linted and tested like any other hand-written code; the generator copies its
//! modules into `generated/src/runtime/` so that everything under `generated/` is generator output,
//! `--check` covers all of it, and the SDK stays one crate. The SDK's dependencies are the runtime
//! crate's.

use super::docs;
use super::features::Features;
use super::generated_header;
use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

/// The runtime's modules, embedded at build time: (file name, content). `mod.rs` is the module root
/// in both crates that compile them; `lib.rs` and `Cargo.toml` belong to the `dixa-runtime` crate
/// alone and are not copied (a test checks this list against the directory).
const RUNTIME: &[(&str, &str)] = &[
    ("binary.rs", include_str!("../../runtime/binary.rs")),
    ("call.rs", include_str!("../../runtime/call.rs")),
    ("client.rs", include_str!("../../runtime/client.rs")),
    ("datetime.rs", include_str!("../../runtime/datetime.rs")),
    ("de.rs", include_str!("../../runtime/de.rs")),
    ("error.rs", include_str!("../../runtime/error.rs")),
    ("macros.rs", include_str!("../../runtime/macros.rs")),
    ("middleware.rs", include_str!("../../runtime/middleware.rs")),
    ("mock.rs", include_str!("../../runtime/mock.rs")),
    ("mock_rules.rs", include_str!("../../runtime/mock_rules.rs")),
    ("mock_state.rs", include_str!("../../runtime/mock_state.rs")),
    ("mod.rs", include_str!("../../runtime/mod.rs")),
    ("pages.rs", include_str!("../../runtime/pages.rs")),
    ("platform.rs", include_str!("../../runtime/platform.rs")),
    ("request.rs", include_str!("../../runtime/request.rs")),
    ("response.rs", include_str!("../../runtime/response.rs")),
    ("retry.rs", include_str!("../../runtime/retry.rs")),
    ("tagged.rs", include_str!("../../runtime/tagged.rs")),
    ("testing.rs", include_str!("../../runtime/testing.rs")),
    (
        "testing/errors.rs",
        include_str!("../../runtime/testing/errors.rs"),
    ),
    (
        "testing/pages.rs",
        include_str!("../../runtime/testing/pages.rs"),
    ),
    (
        "testing/webhooks.rs",
        include_str!("../../runtime/testing/webhooks.rs"),
    ),
    ("webhooks.rs", include_str!("../../runtime/webhooks.rs")),
];

/// The runtime crate's manifest, whose dependencies the SDK's `Cargo.toml` takes as they are.
const RUNTIME_MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// The runtime files as they appear in the SDK: `src/runtime/<name>` with a header naming the
/// source.
pub fn runtime_files() -> Vec<(String, String)> {
    RUNTIME
        .iter()
        .map(|(name, content)| {
            let header = generated_header("//", Some(&format!("generator/runtime/{name}")));
            (format!("src/runtime/{name}"), format!("{header}{content}"))
        })
        .collect()
}

/// The runtime crate's root, whose re-exports of the runtime are the SDK's.
const RUNTIME_LIB: &str = include_str!("../../runtime/lib.rs");

/// The `pub use runtime::...;` items of the runtime crate's root, which `lib.rs` of the SDK repeats:
/// written once, so the runtime is compiled against the crate root it has in the SDK.
fn runtime_reexports() -> TokenStream {
    // A `#[cfg(...)]` line right above a re-export belongs to it (`dixa::testing`, compiled only
    // with its feature); other lines of the file are not the SDK's.
    let mut items = String::new();
    let mut attributes = String::new();
    for line in RUNTIME_LIB.lines() {
        if line.starts_with("#[cfg(") {
            attributes.push_str(line);
            attributes.push('\n');
            continue;
        }
        if line.starts_with("pub use runtime::") {
            items.push_str(&attributes);
            items.push_str(line);
            items.push('\n');
        }
        attributes.clear();
    }
    // The file is compiled as the runtime crate's root, so its lines lex; should they not, the SDK
    // must not compile.
    items.parse().unwrap_or_else(|_| {
        quote!(compile_error!(
            "generator bug: the re-exports of generator/runtime/lib.rs do not lex"
        );)
    })
}

/// The `[dependencies]` and `[dev-dependencies]` sections of the runtime crate's manifest, from the
/// first header to the last dependency line (comments before the next section belong to it).
fn runtime_dependencies() -> String {
    // Both sections are in the runtime's manifest, which is part of the generator (the unit test
    // below reads them); without them the SDK has no dependencies and does not build.
    let Some(start) = RUNTIME_MANIFEST.find("\n[dependencies]\n") else {
        return String::new();
    };
    let rest = &RUNTIME_MANIFEST[start + 1..];
    let Some(dev) = rest.find("\n[dev-dependencies]\n") else {
        return String::new();
    };
    let dev = dev + 1;
    // The end of the dev-dependencies: the next section header, or the end of the file.
    let after_dev = dev + "[dev-dependencies]\n".len();
    let end = rest[after_dev..]
        .find("\n[")
        .map_or(rest.len(), |i| after_dev + i + 1);
    let mut lines: Vec<&str> = rest[..end].lines().collect();
    while lines
        .last()
        .is_some_and(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        lines.pop();
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// The SDK's `Cargo.toml`.
pub fn cargo_toml(api: &Api, features: &Features) -> String {
    let all = features.all();
    let default: Vec<String> = all.iter().map(|f| format!("{f:?}")).collect();
    let each: String = all.iter().map(|f| format!("{f} = []\n")).collect();
    format!(
        r#"{header}[package]
name = "dixa"
version = "0.3.0"
edition = "2024"
license = "MIT OR Apache-2.0"
description = {description}
publish = false

[lib]
name = "dixa"
path = "src/lib.rs"

{dependencies}
# One feature per operation group (tag); a group's feature compiles its operations and the types
# they use. `{unreached}` compiles the schemas no operation uses{webhook_events}.
[features]
default = [{default}]
{each}
# `ClientBuilder::http_client`, which takes a `reqwest::Client`: it makes reqwest's type part of the
# SDK's API, so a reqwest upgrade in the SDK can break code that uses it.
{custom_http_client} = []
{testing}"#,
        description = toml_string(&format!(
            "Typed async client for the {} ({}), generated from its OpenAPI description.",
            api.title, api.version
        )),
        header = generated_header("#", None),
        dependencies = runtime_dependencies(),
        unreached = super::features::UNREACHED_MODELS,
        custom_http_client = crate::naming::CUSTOM_HTTP_CLIENT_FEATURE,
        webhook_events = if api.webhooks.is_some() {
            format!(
                "; `{}` the typed webhook events of `dixa::webhooks`",
                crate::naming::WEBHOOK_EVENTS_FEATURE
            )
        } else {
            String::new()
        },
        default = default.join(", "),
        testing = runtime_testing_feature(),
    )
}

/// The `testing` feature of the runtime crate's manifest, with the comment above it: the runtime
/// alone reads it (`dixa::testing`), and it enables optional dependencies the manifest declares.
fn runtime_testing_feature() -> String {
    let mut comment = Vec::new();
    for line in RUNTIME_MANIFEST.lines() {
        if line.starts_with('#') {
            comment.push(line);
        } else if line.starts_with("testing = ") {
            comment.push(line);
            return format!("\n{}\n", comment.join("\n"));
        } else {
            comment.clear();
        }
    }
    String::new()
}

/// A TOML basic string: spec titles may hold quotes, backslashes or line breaks.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The tokens of `src/lib.rs`.
pub fn lib_file(api: &Api) -> TokenStream {
    let doc = docs::inner(&format!(
        "Typed async client for the {title} ({version}), generated from Dixa's OpenAPI description.\n\n\
         * [`Client`] sends requests (the API key goes raw in the `Authorization` header).\n\
         * [`apis`] has one group per tag, reached through `client.<tag>()`, with one method per \
         operation ({operations} in all) returning a request builder: optional parameters are its \
         setters, and `.await` sends it.\n\
         * [`models`] has one type per schema: {types} in all.\n\
         * [`webhooks`] verifies and decodes the webhooks Dixa sends.\n\n\
         ```no_run\n\
         # async fn example() -> Result<(), dixa::Error> {{\n\
         let client = dixa::Client::new(\"my-api-key\")?;\n\
         let client = client.clone(); // cheap: clones share one connection pool\n\
         # Ok(())\n\
         # }}\n\
         ```",
        title = api.title,
        version = api.version,
        operations = api.operation_count(),
        types = api.types.len(),
    ));
    let base_url = &api.base_url;
    let reexports = runtime_reexports();
    let testing_doc = docs::raw(
        "The kit for the tests of code that uses the SDK (cargo feature `testing`, meant for \
         `[dev-dependencies]`): [`MockDixa`](testing::MockDixa), a fake Dixa on loopback that \
         answers the SDK's requests from typed rules (`mock.agents().get_agent().with_agent_id(id)\
         .returns(&agent)`), or else from the spec's examples, and records what it received; and \
         values for unit tests without a server, each built by the code that builds the real one: \
         [`errors`](testing::errors), [`pages`](testing::pages) and webhook events with the signed \
         deliveries Dixa would POST ([`webhooks`](testing::webhooks)).\n\n\
         ```no_run\n\
         # async fn example() -> Result<(), Box<dyn std::error::Error>> {\n\
         let mock = dixa::testing::MockDixa::start().await?;\n\
         let rule = mock.tags().list_tags().fails(500, \"down\");\n\
         assert!(mock.client().tags().list_tags().await.is_err());\n\
         assert_eq!(rule.calls(), 1);\n\
         # Ok(())\n\
         # }\n\
         ```",
    );
    let testing = quote! {
        #[cfg(feature = "testing")]
        #testing_doc
        pub mod testing {
            #[allow(
                unused_imports,
                reason = "the rules of the enabled operation groups; a spec or feature set may have none"
            )]
            pub use crate::mock::*;
            pub use crate::runtime::mock::MockDixa;
            pub use crate::runtime::mock_rules::{MockOperation, Recorded, Reply, Rule, RuleBuilder};
            pub use crate::runtime::testing::{errors, pages, webhooks};
        }
    };
    quote! {
        #doc
        #![warn(missing_docs)]

        pub mod apis;
        #[cfg(feature = "testing")]
        mod mock;
        pub mod models;
        mod runtime;
        pub mod webhooks;

        #testing

        #reexports

        /// The server the spec names, used unless the client is given another base URL.
        pub const DEFAULT_BASE_URL: &str = #base_url;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every module of `generator/runtime/` is copied, and nothing else: the crate root (`lib.rs`)
    /// and manifest of `dixa-runtime` stay out of the SDK.
    #[test]
    fn the_copied_files_are_the_runtime_modules() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
        let names = |dir: &std::path::Path| -> Vec<String> {
            std::fs::read_dir(dir)
                .unwrap()
                .map(|entry| entry.unwrap().file_name().into_string().unwrap())
                .filter(|name| name.ends_with(".rs") && name != "lib.rs")
                .collect()
        };
        // Modules with submodules keep them in a folder of their name (`testing/errors.rs`).
        let mut on_disk = names(&dir);
        for module in on_disk.clone() {
            let folder = dir.join(module.trim_end_matches(".rs"));
            if folder.is_dir() {
                let stem = module.trim_end_matches(".rs");
                on_disk.extend(names(&folder).into_iter().map(|n| format!("{stem}/{n}")));
            }
        }
        on_disk.sort();
        let copied: Vec<&str> = RUNTIME.iter().map(|(name, _)| *name).collect();
        assert_eq!(copied, on_disk);

        let declared: Vec<String> = include_str!("../../runtime/mod.rs")
            .lines()
            .filter_map(|line| line.strip_prefix("pub mod "))
            .map(|module| format!("{}.rs", module.trim_end_matches(';')))
            .collect();
        let modules: Vec<&str> = copied
            .into_iter()
            .filter(|n| *n != "mod.rs" && !n.contains('/'))
            .collect();
        assert_eq!(modules, declared);
    }

    /// The SDK re-exports what the runtime crate does: every re-export of the runtime crate's root
    /// is one line, `pub use runtime::...;`, which is what `runtime_reexports` takes.
    #[test]
    fn the_sdk_reexports_what_the_runtime_crate_does() {
        for line in RUNTIME_LIB.lines().filter(|l| l.starts_with("pub use ")) {
            assert!(
                line.starts_with("pub use runtime::") && line.ends_with(';'),
                "generator/runtime/lib.rs: `{line}` must be one line `pub use runtime::...;`"
            );
        }
        let reexports = runtime_reexports().to_string();
        assert!(
            reexports.contains("pub use runtime :: error :: {"),
            "{reexports}"
        );
        // `dixa::testing` is a module of the SDK's own (the generated rules are in it), not a
        // re-export of the runtime's.
        assert!(!reexports.contains("runtime :: testing"), "{reexports}");
    }

    /// The SDK's manifest has the runtime crate's dependencies, and its one feature.
    #[test]
    fn the_sdk_builds_against_the_runtime_crates_dependencies() {
        let dependencies = runtime_dependencies();
        assert!(dependencies.starts_with("[dependencies]\n"));
        assert!(dependencies.contains("\n[dev-dependencies]\n"));
        // The platform's dependencies (runtime/platform.rs) sit between the two sections and are
        // copied with them: without the wasm32 table the SDK would not build for wasm32.
        assert!(dependencies
            .contains("\n[target.'cfg(not(target_arch = \"wasm32\"))'.dependencies]\nfastrand = "));
        assert!(dependencies
            .contains("\n[target.'cfg(target_arch = \"wasm32\")'.dependencies]\njs-sys = "));
        assert!(!dependencies.contains("[features]"));
        assert!(!dependencies.ends_with("\n\n"));
        assert!(RUNTIME_MANIFEST.contains(&format!(
            "\n{} = []\n",
            crate::naming::CUSTOM_HTTP_CLIENT_FEATURE
        )));
    }
}
