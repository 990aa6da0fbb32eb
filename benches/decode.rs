//! Decoding a large list response (10,000 conversations built from the spec's examples) into the
//! SDK's typed models, against decoding the same bytes into `serde_json::Value`.
//!
//! `cargo bench -p dixa-benches --bench decode`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn decode(c: &mut Criterion) {
    let body = dixa_benches::conversations(10_000);
    let mut group = c.benchmark_group("decode_10000_conversations");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.sample_size(20);
    group.bench_with_input(
        BenchmarkId::new("typed", "ListEndUserConversationsOutput"),
        &body,
        |b, body| {
            b.iter(|| {
                let out: dixa::models::ListEndUserConversationsOutput =
                    serde_json::from_slice(body).expect("decodes");
                out
            })
        },
    );
    group.bench_with_input(
        BenchmarkId::new("value", "serde_json::Value"),
        &body,
        |b, body| {
            b.iter(|| {
                let out: serde_json::Value = serde_json::from_slice(body).expect("decodes");
                out
            })
        },
    );
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
