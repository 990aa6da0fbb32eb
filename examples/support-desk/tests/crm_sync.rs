//! The CRM-sync job run against a fake Dixa (`dixa::testing::MockDixa`): each test sets typed
//! rules for the calls it is about, leaves the others to the spec's example answers (or, in strict
//! mode, forbids them), and asserts on the job's report and on what Dixa received.

use dixa::models::{
    ChatConversation, Conversation, ConversationChannel, ConversationId, ConversationState,
    CreateEndUserInput, CreateTagInput, EndUser, EndUserId, ListEndUserConversationsOutput,
    ListEndUsersOutput, PaginationLinks, PatchEndUserInput, Tag, TagId, TagRequired, TagState,
};
use dixa::testing::MockDixa;
use dixa::DateTime;
use dixa_example_support_desk::crm_sync::{self, Customer, Report, Stop, PAGE_LIMIT};
use std::time::Duration;

async fn fake_dixa() -> MockDixa {
    MockDixa::start().await.expect("a port on loopback")
}

fn customer(crm_id: &str, email: &str, name: &str) -> Customer {
    Customer {
        crm_id: crm_id.to_owned(),
        email: email.to_owned(),
        name: name.to_owned(),
        phone: None,
        vip: false,
    }
}

fn vip(crm_id: &str, email: &str, name: &str) -> Customer {
    Customer {
        vip: true,
        ..customer(crm_id, email, name)
    }
}

fn user_id(n: u32) -> EndUserId {
    format!("00000000-0000-4000-8000-{n:012}").parse().unwrap()
}

fn created_at() -> DateTime {
    DateTime::parse("2024-05-01T08:00:00Z").unwrap()
}

/// An end user as Dixa has it.
fn end_user(n: u32, email: &str, name: &str, crm_id: Option<&str>) -> EndUser {
    let user = EndUser::new(created_at(), user_id(n))
        .with_email(email)
        .with_display_name(name);
    match crm_id {
        Some(crm_id) => user.with_external_id(crm_id),
        None => user,
    }
}

/// A page of end users, with Dixa's link to the next page when there is one.
fn page_of(users: Vec<EndUser>, next_key: Option<&str>) -> ListEndUsersOutput {
    let page = ListEndUsersOutput::new().with_data(users);
    match next_key {
        Some(key) => page.with_meta(PaginationLinks::new().with_next(format!(
            "https://dev.dixa.io/v1/endusers?pageLimit={PAGE_LIMIT}&pageKey={key}"
        ))),
        None => page,
    }
}

fn conversation(id: i64, requester: EndUserId, state: ConversationState) -> Conversation {
    Conversation::ChatConversation(
        ChatConversation::new(
            ConversationChannel::WidgetChat,
            created_at(),
            ConversationId::from(id),
            requester,
        )
        .with_state(state),
    )
}

fn vip_tag() -> Tag {
    let id: TagId = "11111111-2222-4333-8444-555555555555".parse().unwrap();
    Tag::new(TagRequired {
        id,
        name: "VIP".to_owned(),
        state: TagState::Active,
    })
}

#[tokio::test]
async fn new_customers_are_created_and_known_ones_updated_where_they_differ() {
    let dixa = fake_dixa().await;
    // Any call the test does not set up fails the test: the job writes nothing else.
    dixa.strict();
    let ann = end_user(1, "ann@shop.test", "Ann Lee", Some("crm-1"));
    let bob = end_user(2, "BOB@shop.test", "Bobby", None);
    let other = end_user(3, "zoe@elsewhere.test", "Zoe", Some("crm-99"));
    // Two pages: the second is asked for with the key of the first one's `next` link, the first
    // one without a key (rules are tried in order).
    let second = dixa
        .end_users()
        .list_end_users()
        .with_page_key("cGFnZT0y")
        .with_page_limit(PAGE_LIMIT)
        .returns(&page_of(vec![other], None));
    let first = dixa
        .end_users()
        .list_end_users()
        .with_page_limit(PAGE_LIMIT)
        .returns(&page_of(vec![ann, bob.clone()], Some("cGFnZT0y")));
    // Bob is known by email: he gets his CRM id and his name, nothing else.
    let bob_patch = PatchEndUserInput::new()
        .with_display_name("Bob Stone")
        .with_external_id("crm-2");
    let patched = dixa
        .end_users()
        .patch_end_user()
        .with_user_id(bob.id)
        .with_body_eq(bob_patch)
        .returns(&bob.clone().with_display_name("Bob Stone"));
    let created = dixa.end_users().create_end_user().returns(&end_user(
        4,
        "cy@shop.test",
        "Cy Young",
        Some("crm-3"),
    ));

    let report = crm_sync::run(
        dixa.client(),
        &[
            customer("crm-1", "ann@shop.test", "Ann Lee"),
            customer("crm-2", "bob@shop.test", "Bob Stone"),
            Customer {
                phone: Some("+4520304050".to_owned()),
                ..customer("crm-3", "cy@shop.test", "Cy Young")
            },
        ],
    )
    .await;

    assert_eq!(
        report,
        Report {
            created: vec!["crm-3".to_owned()],
            updated: vec!["crm-2".to_owned()],
            unchanged: 1,
            ..Report::default()
        }
    );
    assert_eq!((first.calls(), second.calls(), patched.calls()), (1, 1, 1));
    // What the job sent, decoded into the SDK's type.
    let sent = created.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].body(),
        Some(
            &CreateEndUserInput::new()
                .with_display_name("Cy Young")
                .with_email("cy@shop.test")
                .with_external_id("crm-3")
                .with_phone_number("+4520304050")
        )
    );
}

#[tokio::test]
async fn a_rate_limited_page_is_retried_by_the_sdk_and_the_run_completes() {
    let dixa = fake_dixa().await;
    dixa.strict();
    let ann = end_user(1, "ann@shop.test", "Ann Lee", Some("crm-1"));
    // Dixa's limit hits on the second page: a 429, then the page. The SDK waits and tries again.
    let second = dixa
        .end_users()
        .list_end_users()
        .with_page_key("p2")
        .rate_limited(Duration::ZERO)
        .then_returns(&page_of(vec![ann], None));
    dixa.end_users()
        .list_end_users()
        .returns(&page_of(Vec::new(), Some("p2")));

    let report = crm_sync::run(
        dixa.client(),
        &[customer("crm-1", "ann@shop.test", "Ann Lee")],
    )
    .await;

    assert_eq!(report.stopped, None);
    assert_eq!(report.unchanged, 1, "{report:?}");
    assert_eq!(second.calls(), 2);
}

#[tokio::test]
async fn a_rate_limit_that_outlasts_the_retries_stops_the_run_for_as_long_as_dixa_asks() {
    let dixa = fake_dixa().await;
    dixa.strict();
    dixa.end_users()
        .list_end_users()
        .returns(&page_of(Vec::new(), None));
    // Longer than the SDK waits on its own: it gives up at once and says how long Dixa asked for.
    let create = dixa
        .end_users()
        .create_end_user()
        .rate_limited(Duration::from_secs(120));

    let report = crm_sync::run(
        dixa.client(),
        &[
            customer("crm-1", "ann@shop.test", "Ann Lee"),
            customer("crm-2", "bob@shop.test", "Bob Stone"),
        ],
    )
    .await;

    assert_eq!(
        report.stopped,
        Some(Stop::RetryAfter(Duration::from_secs(120)))
    );
    assert!(report.created.is_empty());
    // Bob was not tried: the run stopped at Ann.
    assert_eq!(create.calls(), 1);
}

#[tokio::test]
async fn an_end_user_deleted_since_the_listing_is_created_again() {
    let dixa = fake_dixa().await;
    dixa.strict();
    let ann = end_user(1, "ann@shop.test", "Ann", Some("crm-1"));
    dixa.end_users()
        .list_end_users()
        .returns(&page_of(vec![ann.clone()], None));
    let patch = dixa
        .end_users()
        .patch_end_user()
        .with_user_id(ann.id)
        .fails(404, "An entity in this request could not be found");
    let create = dixa
        .end_users()
        .create_end_user()
        .with_body(|body: &CreateEndUserInput| body.external_id.as_deref() == Some("crm-1"))
        .returns(&end_user(5, "ann@shop.test", "Ann Lee", Some("crm-1")));

    let report = crm_sync::run(
        dixa.client(),
        &[customer("crm-1", "ann@shop.test", "Ann Lee")],
    )
    .await;

    assert_eq!(report.created, vec!["crm-1".to_owned()]);
    assert!(
        report.updated.is_empty() && report.stopped.is_none(),
        "{report:?}"
    );
    assert_eq!((patch.calls(), create.calls()), (1, 1));
}

#[tokio::test]
async fn a_conflict_on_create_updates_the_end_user_dixa_made_meanwhile() {
    let dixa = fake_dixa().await;
    dixa.strict();
    // Ann wrote in after the listing: Dixa made her end user from her email.
    let made_by_dixa = end_user(7, "ann@shop.test", "ann", None);
    let lookup = dixa
        .end_users()
        .list_end_users()
        .with_email("ann@shop.test")
        .returns(&page_of(vec![made_by_dixa.clone()], None));
    dixa.end_users()
        .list_end_users()
        .returns(&page_of(Vec::new(), None));
    dixa.end_users()
        .create_end_user()
        .fails(409, "Duplicate email address");
    let patch = dixa
        .end_users()
        .patch_end_user()
        .with_user_id(made_by_dixa.id)
        .returns(&made_by_dixa);

    let report = crm_sync::run(
        dixa.client(),
        &[customer("crm-1", "ann@shop.test", "Ann Lee")],
    )
    .await;

    assert_eq!(report.updated, vec!["crm-1".to_owned()], "{report:?}");
    assert_eq!(lookup.calls(), 1);
    assert_eq!(
        patch.requests()[0].body(),
        Some(
            &PatchEndUserInput::new()
                .with_display_name("Ann Lee")
                .with_external_id("crm-1")
        )
    );
}

#[tokio::test]
async fn a_customer_dixa_refuses_is_reported_and_the_run_goes_on() {
    let dixa = fake_dixa().await;
    dixa.end_users()
        .list_end_users()
        .returns(&page_of(Vec::new(), None));
    dixa.end_users()
        .create_end_user()
        .with_body(|body: &CreateEndUserInput| body.email.as_deref() == Some("not an email"))
        .fails(400, "Validation failure during enduser creation");
    // No rule for Bob's create: the spec's example answers it, which is all this test needs.
    let report = crm_sync::run(
        dixa.client(),
        &[
            customer("crm-1", "not an email", "Ann Lee"),
            customer("crm-2", "bob@shop.test", "Bob Stone"),
        ],
    )
    .await;

    assert_eq!(
        report.rejected,
        vec![(
            "crm-1".to_owned(),
            "Validation failure during enduser creation".to_owned()
        )]
    );
    assert_eq!(report.created, vec!["crm-2".to_owned()]);
    assert_eq!(report.stopped, None);
}

#[tokio::test]
async fn vip_customers_get_their_open_conversations_tagged() {
    let dixa = fake_dixa().await;
    dixa.strict();
    let ann = end_user(1, "ann@shop.test", "Ann Lee", Some("crm-1"));
    let bob = end_user(2, "bob@shop.test", "Bob Stone", Some("crm-2"));
    dixa.end_users()
        .list_end_users()
        .returns(&page_of(vec![ann.clone(), bob.clone()], None));
    // Dixa has no VIP tag yet: the job makes it, once for both VIPs.
    dixa.tags().list_tags().returns(&Vec::new());
    let make_tag = dixa
        .tags()
        .create_tag()
        .with_body_eq(CreateTagInput::new("VIP"))
        .returns(&vip_tag())
        .times(1);
    dixa.end_users()
        .list_end_user_conversations()
        .with_user_id(ann.id)
        .returns(&ListEndUserConversationsOutput::new().with_data(vec![
            conversation(11, ann.id, ConversationState::Open),
            conversation(12, ann.id, ConversationState::Closed),
            conversation(13, ann.id, ConversationState::Pending),
        ]));
    dixa.end_users()
        .list_end_user_conversations()
        .with_user_id(bob.id)
        .returns(
            &ListEndUserConversationsOutput::new().with_data(vec![conversation(
                21,
                bob.id,
                ConversationState::Open,
            )]),
        );
    // Conversation 13 was deleted meanwhile; Dixa's limit hits once on 21, which the SDK retries.
    let gone = dixa
        .conversations()
        .tag_conversation()
        .with_conversation_id(13)
        .fails(404, "An entity in this request could not be found");
    let limited = dixa
        .conversations()
        .tag_conversation()
        .with_conversation_id(21)
        .rate_limited(Duration::ZERO)
        .then_returns(&());
    let tagged = dixa
        .conversations()
        .tag_conversation()
        .with_tag_id(vip_tag().id)
        .returns(&());

    let report = crm_sync::run(
        dixa.client(),
        &[
            vip("crm-1", "ann@shop.test", "Ann Lee"),
            vip("crm-2", "bob@shop.test", "Bob Stone"),
        ],
    )
    .await;

    assert_eq!(report.stopped, None, "{report:?}");
    assert_eq!(
        report.tagged,
        vec![ConversationId::from(11), ConversationId::from(21)]
    );
    assert_eq!(report.gone, vec![ConversationId::from(13)]);
    assert_eq!(make_tag.calls(), 1);
    assert_eq!((gone.calls(), limited.calls(), tagged.calls()), (1, 2, 1));
    // The closed conversation 12 was left alone (strict mode would have failed the test), and the
    // tag went on 11 by its id.
    let request = &tagged.requests()[0];
    assert_eq!(request.param::<i64>("conversationId"), Some(11));
    assert_eq!(request.param::<TagId>("tagId"), Some(vip_tag().id));
}

#[tokio::test]
async fn strict_mode_names_a_call_the_test_did_not_allow() {
    // A test that expects a read-only run (everyone is in Dixa already) while the CRM has a new
    // customer: the strict fake refuses the create and names it, and the job stops on the refusal.
    let dixa = fake_dixa().await;
    dixa.strict();
    dixa.end_users()
        .list_end_users()
        .returns(&page_of(Vec::new(), None));

    let report = crm_sync::run(
        dixa.client(),
        &[customer("crm-1", "ann@shop.test", "Ann Lee")],
    )
    .await;

    let unmatched = dixa.take_unmatched();
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    assert!(
        unmatched[0].contains("POST /beta/endusers (postEndusers)")
            && unmatched[0].contains("no rule is set for postEndusers, only for getEndusers"),
        "{}",
        unmatched[0]
    );
    assert!(
        matches!(report.stopped, Some(Stop::RetryAfter(_))),
        "{report:?}"
    );
}

#[tokio::test]
async fn a_refused_api_key_stops_the_run_before_any_write() {
    let dixa = fake_dixa().await;
    dixa.strict();
    dixa.end_users().list_end_users().fails(401, "Unauthorized");
    let report = crm_sync::run(dixa.client(), &[vip("crm-1", "ann@shop.test", "Ann Lee")]).await;
    assert_eq!(
        report,
        Report {
            stopped: Some(Stop::Unauthorized),
            ..Report::default()
        }
    );
}
