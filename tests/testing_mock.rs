//! `dixa::testing::MockDixa`, the fake Dixa for downstream tests: typed rules, the spec's examples
//! as defaults for every operation, strict mode, sequences through the SDK's retries, recording,
//! and real bytes on the wire (`_type` tags, envelopes, date-times, decode errors).

use dixa::models::{
    Agent, AgentId, BulkActionOutcomeBulkErrorAgent, BulkActionSuccessBulkErrorAgent,
    BulkUpdateAgentInput, CreateAgentInput, CreateAgentInputRequired,
};
use dixa::testing::{MockDixa, Reply};
use dixa::{Error, ErrorKind};
use dixa_tests::calls;
use serde_json::json;
use std::time::Duration;

async fn mock() -> MockDixa {
    MockDixa::start().await.expect("a port on loopback")
}

fn agent(id: u128, name: &str) -> Agent {
    serde_json::from_value(json!({
        "id": uuid::Uuid::from_u128(id),
        "displayName": name,
        "email": format!("{name}@example.org"),
        "createdAt": "2024-03-11T16:39:30.123Z",
        "roles": ["Agent"],
    }))
    .expect("a valid agent")
}

#[tokio::test]
async fn a_rule_answers_its_typed_value_only_for_its_parameters() {
    let mock = mock().await;
    let alice = agent(1, "alice");
    let rule = mock
        .agents()
        .get_agent()
        .with_agent_id(uuid::Uuid::from_u128(1))
        .returns(&alice);
    let client = mock.client();

    let got = client
        .agents()
        .get_agent(uuid::Uuid::from_u128(1))
        .await
        .unwrap();
    assert_eq!(got, alice);
    // The date-time went over the wire in Dixa's form and came back the same.
    assert_eq!(got.created_at.to_string(), alice.created_at.to_string());

    // Another id is not the rule's: the spec's example answers it.
    let other = client
        .agents()
        .get_agent(uuid::Uuid::from_u128(2))
        .await
        .unwrap();
    assert_ne!(other, alice);
    assert_eq!(rule.calls(), 1);
}

#[tokio::test]
async fn fails_and_rate_limited_reach_the_caller_as_errors() {
    let mock = mock().await;
    mock.agents().get_agent().fails(404, "no such agent");
    let err = mock
        .client()
        .agents()
        .get_agent(AgentId::from(uuid::Uuid::from_u128(7)))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.message(), Some("no such agent"));

    // A 429 on every attempt: the SDK retries, then reports the rate limit with its Retry-After.
    let rule = mock.tags().list_tags().rate_limited(Duration::ZERO);
    let err = mock.client().tags().list_tags().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(
        rule.calls(),
        3,
        "the default retry policy tries three times"
    );
}

#[tokio::test]
async fn a_429_then_a_200_goes_through_the_sdks_retry() {
    let mock = mock().await;
    let alice = agent(3, "alice");
    let rule = mock
        .agents()
        .get_agent()
        .rate_limited(Duration::ZERO)
        .then_returns(&alice);
    let got = mock
        .client()
        .agents()
        .get_agent(uuid::Uuid::from_u128(3))
        .await
        .unwrap();
    assert_eq!(got, alice);
    assert_eq!(rule.calls(), 2);

    // The same with two rules, the first used up after one answer.
    let mock = MockDixa::start().await.unwrap();
    let limited = mock.agents().list_agents().fails(503, "deploying").times(1);
    let listed = mock
        .agents()
        .list_agents()
        .returns(&dixa::models::ListAgentsOutput::new().with_data(vec![alice.clone()]));
    let page = mock.client().agents().list_agents().await.unwrap();
    assert_eq!(page.data, vec![alice]);
    assert_eq!((limited.calls(), listed.calls()), (1, 1));
}

#[tokio::test]
async fn rules_record_typed_bodies_and_parameters() {
    let mock = mock().await;
    let created = agent(4, "bob");
    let rule = mock
        .agents()
        .create_agent()
        .with_body(|body: &CreateAgentInput| body.display_name == "Bob")
        .returns(&created);
    let listed = mock
        .agents()
        .list_agents()
        .with_page_limit(2)
        .with_email("bob@example.org")
        .fails(500, "recorded");
    let client = mock.client();

    let input = CreateAgentInput::new(CreateAgentInputRequired {
        display_name: "Bob".to_owned(),
        email: "bob@example.org".to_owned(),
    })
    .with_first_name("Bob");
    assert_eq!(client.agents().create_agent(&input).await.unwrap(), created);
    let _ = client
        .agents()
        .list_agents()
        .page_limit(2)
        .email("bob@example.org")
        .retry(dixa::RetryPolicy::none())
        .await;
    // Without the email the list rule does not match: the example answers.
    client.agents().list_agents().page_limit(2).await.unwrap();

    let requests = rule.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body(), Some(&input));
    assert_eq!(
        (requests[0].method(), requests[0].path()),
        ("POST", "/beta/agents")
    );
    assert_eq!(listed.calls(), 1);
    let list = &listed.requests()[0];
    assert_eq!(list.param::<i32>("pageLimit"), Some(2));
    assert_eq!(list.query("email"), vec!["bob@example.org"]);
    assert_eq!(list.body(), None);
}

#[tokio::test]
async fn a_body_matcher_compares_the_typed_body() {
    let mock = mock().await;
    let body = vec![BulkUpdateAgentInput::new("Ann", uuid::Uuid::from_u128(9))];
    let outcome = vec![BulkActionOutcomeBulkErrorAgent::BulkActionSuccess(
        BulkActionSuccessBulkErrorAgent::new(agent(9, "ann")),
    )];
    let rule = mock
        .agents()
        .update_agents()
        .with_body_eq(body.clone())
        .returns(&outcome);
    let got = mock
        .client()
        .agents()
        .update_agents()
        .body(&body)
        .await
        .unwrap();
    // A union reaches the caller through its `_type` tag, written and read by the SDK.
    assert_eq!(got, outcome);
    assert!(got[0].is_bulk_action_success());
    assert_eq!(rule.calls(), 1);
    let raw: serde_json::Value = serde_json::from_slice(rule.requests()[0].raw_body()).unwrap();
    assert_eq!(raw[0]["displayName"], "Ann");
}

#[tokio::test]
async fn a_body_the_decoder_refuses_is_a_decode_error() {
    let mock = mock().await;
    // `createdAt` is no date-time: the bytes travel, and the SDK's decoder refuses them.
    mock.agents().get_agent().replies(Reply::json(
        200,
        &json!({"data": {"id": uuid::Uuid::from_u128(1), "displayName": "x", "email": "x",
                          "createdAt": "yesterday"}}),
    ));
    let err = mock
        .client()
        .agents()
        .get_agent(uuid::Uuid::from_u128(1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("createdAt"), "{err}");
}

#[tokio::test]
async fn the_minimal_default_of_an_operation_without_example_decodes() {
    let mock = mock().await;
    let queue = mock
        .client()
        .queues()
        .create_queue(&dixa::models::CreateQueueInput::new(
            dixa::models::CreateOrUpdateQueueRequest::new(
                dixa::models::CreateOrUpdateQueueRequestRequired {
                    call_functionality: false,
                    is_default: false,
                    is_do_not_offer_enabled: false,
                    name: "q".to_owned(),
                },
            ),
        ))
        .await
        .unwrap();
    // The create (whose 201 has no example in the spec) is answered by the stored queues: the name
    // sent, over a queue's required members from the example of `getQueuesQueueid`; it decodes.
    assert_eq!(queue.name, "q");
    assert_eq!(
        mock.client().queues().get_queue(queue.id).await.unwrap(),
        queue
    );
}

#[tokio::test]
async fn every_operation_with_a_spec_example_answers_it_by_default() {
    let api = generator::api(&generator::Config::beside(
        dixa_tests::root().join("spec/dixa-api.yaml"),
    ))
    .unwrap();
    let mut answered = 0;
    let mut without_example = Vec::new();
    let mut failures = Vec::new();
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        // A fresh fake per operation: a create makes its collection stateful, after which an id
        // it does not hold is a 404 (`testing_state.rs`), not the example.
        let mock = mock().await;
        let has_default = op.response.example.is_some()
            || op.response.kind == generator::ir::ResponseKind::Empty
            || op.id == "postQueues";
        let result = calls::call(mock.client(), &op.id, None)
            .await
            .expect("every operation has a call");
        match (has_default, result) {
            (true, Ok(())) => answered += 1,
            (true, Err(e)) => failures.push(format!("{}: {e}", op.id)),
            // Without an example the fake says which operation needs a rule.
            (false, Err(e)) => {
                assert_eq!(e.status(), Some(501), "{}: {e}", op.id);
                assert!(e.to_string().contains(&op.id), "{e}");
                without_example.push(op.id.as_str());
            }
            (false, Ok(())) => failures.push(format!("{}: answered without an example", op.id)),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Every operation answers on its own: `postQueues`, whose 201 has no example in the spec,
    // with a minimal value of its type.
    assert_eq!(without_example, Vec::<&str>::new());
    assert_eq!(answered, 123);
}

#[tokio::test]
async fn strict_mode_fails_unmatched_requests_naming_the_closest_rule() {
    let mock = mock().await;
    mock.strict();
    let alice = agent(5, "alice");
    mock.agents()
        .get_agent()
        .with_agent_id(uuid::Uuid::from_u128(5))
        .returns(&alice);
    let client = mock.client();
    assert_eq!(
        client
            .agents()
            .get_agent(uuid::Uuid::from_u128(5))
            .await
            .unwrap(),
        alice
    );

    let err = client
        .agents()
        .get_agent(uuid::Uuid::from_u128(6))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(501));
    let unmatched = mock.take_unmatched();
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    assert!(
        unmatched[0].contains("closest rule: getAgentsAgentid where agentId = ")
            && unmatched[0].contains(&uuid::Uuid::from_u128(6).to_string()),
        "{}",
        unmatched[0]
    );

    // No rule for the operation at all: the message says which operations have rules.
    let _ = client.tags().list_tags().await.unwrap_err();
    let unmatched = mock.take_unmatched();
    assert!(
        unmatched[0].contains("no rule is set for getTags, only for getAgentsAgentid"),
        "{unmatched:?}"
    );
}

#[tokio::test]
async fn dropping_a_strict_mock_with_unmatched_requests_fails_the_test() {
    let handle = tokio::spawn(async {
        let mock = MockDixa::start().await.unwrap();
        mock.strict();
        let _ = mock.client().tags().list_tags().await;
        drop(mock);
    });
    let panic = handle.await.unwrap_err();
    assert!(panic.is_panic());
    let message = panic.into_panic();
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("GET /beta/tags (getTags)"), "{message}");
}
