//! The cost of a request through the SDK against a bare reqwest request doing the same work
//! (GET, `Authorization` header, read the body, decode it into the same type), both against a
//! minimal local server, on one connection each.
//!
//! `cargo bench -p dixa-benches --bench client`

use criterion::{criterion_group, criterion_main, Criterion};

fn client(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let body = br#"{"data":[{"id":"b0323b42-c428-4afa-970e-20bf5bdeeec4","name":"vip","state":"Active"}]}"#.to_vec();
    let addr = runtime.block_on(dixa_benches::serve(body));
    let base = format!("http://{addr}");
    let sdk = dixa::Client::builder()
        .api_key("bench-key")
        .base_url(&base)
        .build()
        .expect("valid");
    let bare = reqwest::Client::new();
    let url = format!("{base}/beta/tags");

    let mut group = c.benchmark_group("request_list_tags");
    group.bench_function("sdk", |b| {
        b.to_async(&runtime)
            .iter(|| async { sdk.tags().list_tags().await.expect("succeeds") })
    });
    let bare_timeout = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("valid");
    // The same request by hand: the SDK sets a 30 s timeout by default, so both forms are measured.
    for (name, http) in [
        ("bare_reqwest", &bare),
        ("bare_reqwest_timeout", &bare_timeout),
    ] {
        group.bench_function(name, |b| {
            b.to_async(&runtime).iter(|| bare_list_tags(http, &url))
        });
    }
    group.finish();
}

/// What a user would write without the SDK: GET with the key, read the body, decode it.
async fn bare_list_tags(http: &reqwest::Client, url: &str) -> dixa::models::ListTagsOutput {
    let response = http
        .get(url)
        .header("Authorization", "bench-key")
        .header("Accept", "application/json")
        .send()
        .await
        .expect("sent");
    let bytes = response.bytes().await.expect("read");
    serde_json::from_slice(&bytes).expect("decodes")
}

criterion_group!(benches, client);
criterion_main!(benches);
