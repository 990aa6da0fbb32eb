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
        b.to_async(&runtime).iter(|| async {
            sdk.tags()
                .list_tags(&Default::default())
                .await
                .expect("succeeds")
        })
    });
    group.bench_function("bare_reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = bare
                .get(&url)
                .header("Authorization", "bench-key")
                .header("Accept", "application/json")
                .send()
                .await
                .expect("sent");
            let bytes = response.bytes().await.expect("read");
            let out: dixa::models::ListTagsOutput =
                serde_json::from_slice(&bytes).expect("decodes");
            out
        })
    });
    let bare_timeout = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("valid");
    group.bench_function("bare_reqwest_timeout", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = bare_timeout
                .get(&url)
                .header("Authorization", "bench-key")
                .send()
                .await
                .expect("sent");
            let bytes = response.bytes().await.expect("read");
            let out: dixa::models::ListTagsOutput =
                serde_json::from_slice(&bytes).expect("decodes");
            out
        })
    });
    group.finish();
}

criterion_group!(benches, client);
criterion_main!(benches);
