//! The stateful resources of `dixa::testing::MockDixa`: what a test creates is kept, so
//! create-then-read-back works without rules (end users, tags, teams, queues, conversations with
//! their notes and tags), lists follow Dixa's cursor pagination, deleted ids answer 404, rules
//! come first, and in strict mode the state answers only through `from_state()` rules.

use dixa::models::{
    Chat, ChatRequired, Content, CreateAgentInput, CreateAgentInputRequired,
    CreateConversationInput, CreateEndUserInput, CreateInternalNoteInput, CreateMessageInput,
    CreateOrUpdateQueueRequest, CreateOrUpdateQueueRequestRequired, CreateQueueInput,
    CreateTagInput, CreateTeamInput, Inbound, PatchEndUserInput, TagId, TagState, Text,
    UpdateEndUserInput,
};
use dixa::testing::{MockDixa, Reply};
use dixa::ErrorKind;
use futures_util::StreamExt;

async fn mock() -> MockDixa {
    MockDixa::start().await.expect("a port on loopback")
}

fn end_user(name: &str) -> CreateEndUserInput {
    CreateEndUserInput::new()
        .with_display_name(name)
        .with_email(format!("{name}@example.org"))
}

#[tokio::test]
async fn a_created_end_user_reads_back_and_lists() {
    let mock = mock().await;
    let client = mock.client();
    let created = client
        .end_users()
        .create_end_user(&end_user("ann").with_external_id("crm-1"))
        .await
        .unwrap();
    assert_eq!(created.display_name.as_deref(), Some("ann"));
    assert_eq!(created.external_id.as_deref(), Some("crm-1"));

    let read = client.end_users().get_end_user(created.id).await.unwrap();
    assert_eq!(read, created);

    let listed: Vec<_> = client
        .end_users()
        .list_end_users()
        .items()
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(listed, vec![created]);
}

#[tokio::test]
async fn lists_follow_meta_next_across_pages() {
    let mock = mock().await;
    let client = mock.client();
    let mut ids = Vec::new();
    for n in 0..5 {
        let user = client
            .end_users()
            .create_end_user(&end_user(&format!("user{n}")))
            .await
            .unwrap();
        ids.push(user.id);
    }
    let mut pages = client.end_users().list_end_users().page_limit(2).pages();
    let mut sizes = Vec::new();
    let mut seen = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.unwrap();
        sizes.push(page.items.len());
        seen.extend(page.items.into_iter().map(|u| u.id));
    }
    assert_eq!(sizes, vec![2, 2, 1]);
    assert_eq!(seen, ids, "every item once, in the order created");

    // The first page links the next one and no previous one.
    let first = client
        .end_users()
        .list_end_users()
        .page_limit(2)
        .await
        .unwrap();
    let meta = first.meta.expect("a paginated list has meta");
    assert!(meta.next.is_some_and(|n| n.contains("pageKey=")));
    assert!(meta.previous.is_none());
}

#[tokio::test]
async fn an_update_is_read_back_and_keeps_the_other_fields() {
    let mock = mock().await;
    let client = mock.client();
    let created = client
        .end_users()
        .create_end_user(&end_user("bob").with_phone_number("+4512345678"))
        .await
        .unwrap();

    let patched = client
        .end_users()
        .patch_end_user(
            created.id,
            &PatchEndUserInput::new().with_display_name("Robert"),
        )
        .await
        .unwrap();
    assert_eq!(patched.display_name.as_deref(), Some("Robert"));
    assert_eq!(patched.phone_number.as_deref(), Some("+4512345678"));
    let read = client.end_users().get_end_user(created.id).await.unwrap();
    assert_eq!(read, patched);

    let put = client
        .end_users()
        .update_end_user(
            created.id,
            &UpdateEndUserInput::new("Robert").with_email("r@example.org"),
        )
        .await
        .unwrap();
    assert_eq!(put.email.as_deref(), Some("r@example.org"));
    assert_eq!(put.display_name.as_deref(), Some("Robert"));
}

#[tokio::test]
async fn a_deleted_tag_answers_404_as_a_typed_error() {
    let mock = mock().await;
    let client = mock.client();
    // Before any write, the tags answer the spec's examples (useful without setup).
    let example = client
        .tags()
        .get_tag(uuid::Uuid::from_u128(42))
        .await
        .unwrap();
    assert!(!example.name.is_empty());

    let tag = client
        .tags()
        .create_tag(&CreateTagInput::new("vip").with_color("#ff0000"))
        .await
        .unwrap();
    assert_eq!(tag.name, "vip");
    client.tags().deactivate_tag(tag.id).await.unwrap();
    assert_eq!(
        client.tags().get_tag(tag.id).await.unwrap().state,
        TagState::Inactive
    );
    client.tags().activate_tag(tag.id).await.unwrap();
    assert_eq!(
        client.tags().get_tag(tag.id).await.unwrap().state,
        TagState::Active
    );
    assert_eq!(
        client.tags().list_tags().await.unwrap(),
        vec![client.tags().get_tag(tag.id).await.unwrap()]
    );

    client.tags().delete_tag(tag.id).await.unwrap();
    let err = client.tags().get_tag(tag.id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.status(), Some(404));
    assert!(
        err.message().is_some_and(|m| m.contains("was deleted")),
        "{err:?}"
    );
    let again = client.tags().delete_tag(tag.id).await.unwrap_err();
    assert_eq!(again.kind(), ErrorKind::NotFound);
    // The collection is stateful now: an id it never held is not found either.
    let never = client
        .tags()
        .get_tag(uuid::Uuid::from_u128(42))
        .await
        .unwrap_err();
    assert_eq!(never.kind(), ErrorKind::NotFound);
    assert!(client.tags().list_tags().await.unwrap().is_empty());
}

#[tokio::test]
async fn teams_queues_and_agents_read_back() {
    let mock = mock().await;
    let client = mock.client();
    let team = client
        .teams()
        .create_team(&CreateTeamInput::new("Support"))
        .await
        .unwrap();
    assert_eq!(client.teams().get_team(team.id).await.unwrap(), team);
    assert_eq!(
        client.teams().list_teams().await.unwrap(),
        vec![team.clone()]
    );
    client.teams().delete_team(team.id).await.unwrap();
    assert!(client.teams().list_teams().await.unwrap().is_empty());

    // A queue's body wraps its fields in `request`; the item has them at the top.
    let request = CreateOrUpdateQueueRequest::new(CreateOrUpdateQueueRequestRequired {
        call_functionality: false,
        is_default: true,
        is_do_not_offer_enabled: false,
        name: "Tier 1".to_owned(),
    })
    .with_priority(3);
    let queue = client
        .queues()
        .create_queue(&CreateQueueInput::new(request))
        .await
        .unwrap();
    assert_eq!(queue.name, "Tier 1");
    assert_eq!(queue.priority, Some(3));
    assert_eq!(client.queues().get_queue(queue.id).await.unwrap(), queue);

    let agent = client
        .agents()
        .create_agent(&CreateAgentInput::new(CreateAgentInputRequired {
            display_name: "Dee".to_owned(),
            email: "dee@example.org".to_owned(),
        }))
        .await
        .unwrap();
    assert_eq!(client.agents().get_agent(agent.id).await.unwrap(), agent);
    let listed = client.agents().list_agents().await.unwrap();
    assert_eq!(listed.data, vec![agent]);
}

fn chat(requester: uuid::Uuid) -> CreateConversationInput {
    let message = CreateMessageInput::Inbound(Inbound::new(Content::Text(Text::new("Hello"))));
    CreateConversationInput::Chat(Chat::new(ChatRequired {
        message,
        requester_id: requester.into(),
        widget_id: uuid::Uuid::from_u128(7),
    }))
}

#[tokio::test]
async fn a_conversation_keeps_its_notes_and_tags() {
    let mock = mock().await;
    let client = mock.client();
    let requester = uuid::Uuid::from_u128(5);
    let created = client
        .conversations()
        .create_conversation(&chat(requester))
        .await
        .unwrap();
    let conversation = client
        .conversations()
        .get_conversation(created.id)
        .await
        .unwrap();
    let json = serde_json::to_value(&conversation).unwrap();
    assert_eq!(json["id"], serde_json::json!(created.id));
    assert_eq!(json["requesterId"], serde_json::json!(requester));

    for text in ["first", "second"] {
        let note = client
            .conversations()
            .add_internal_note(created.id, &CreateInternalNoteInput::new(text))
            .await
            .unwrap();
        assert_eq!(note.message, text);
    }
    let notes = client
        .conversations()
        .list_internal_notes(created.id)
        .await
        .unwrap();
    let messages: Vec<&str> = notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(messages, ["first", "second"]);
    // Notes are kept per conversation, and a conversation the fake does not hold is not found.
    let other = client
        .conversations()
        .list_internal_notes(created.id.into_inner() + 1)
        .await
        .unwrap_err();
    assert_eq!(other.kind(), ErrorKind::NotFound);

    let vip = client
        .tags()
        .create_tag(&CreateTagInput::new("vip"))
        .await
        .unwrap();
    client
        .conversations()
        .tag_conversation(created.id, vip.id)
        .await
        .unwrap();
    let tags = client.conversations().list_tags(created.id).await.unwrap();
    assert_eq!(tags, vec![vip.clone()]);
    // A tag the (stateful) tags collection does not hold cannot be attached.
    let unknown = client
        .conversations()
        .tag_conversation(created.id, TagId::from(uuid::Uuid::from_u128(99)))
        .await
        .unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::NotFound);
    client
        .conversations()
        .untag_conversation(created.id, vip.id)
        .await
        .unwrap();
    assert!(client
        .conversations()
        .list_tags(created.id)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn rules_come_before_the_state_and_can_record_it() {
    let mock = mock().await;
    let client = mock.client();
    // A rule that hands requests to the state records them, typed.
    let creates = mock.end_users().create_end_user().from_state();
    let created = client
        .end_users()
        .create_end_user(&end_user("cy"))
        .await
        .unwrap();
    assert_eq!(creates.calls(), 1);
    let recorded = creates.requests();
    let body = recorded[0].body().expect("a JSON body");
    assert_eq!(body.display_name.as_deref(), Some("cy"));

    // An explicit rule answers first; once used up, the state answers again.
    let outage = mock
        .end_users()
        .get_end_user()
        .with_user_id(created.id)
        .fails(503, "maintenance")
        .times(1);
    let err = client
        .end_users()
        .get_end_user(created.id)
        .retry(dixa::RetryPolicy::none())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(outage.calls(), 1);
    assert_eq!(
        client.end_users().get_end_user(created.id).await.unwrap(),
        created
    );

    // A sequence may fail before the state answers.
    mock.tags()
        .create_tag()
        .fails(409, "busy")
        .then_replies(Reply::from_state());
    let client2 = client.clone();
    let first = client2.tags().create_tag(&CreateTagInput::new("a")).await;
    assert_eq!(first.unwrap_err().status(), Some(409));
    let tag = client2
        .tags()
        .create_tag(&CreateTagInput::new("a"))
        .await
        .unwrap();
    assert_eq!(client.tags().get_tag(tag.id).await.unwrap(), tag);
}

#[tokio::test]
async fn strict_mode_serves_the_state_through_from_state_rules_only() {
    let mock = mock().await;
    mock.strict();
    let client = mock.client();
    // Without a rule, a write is unmatched in strict mode and nothing is kept.
    let unplanned = client
        .teams()
        .create_team(&CreateTeamInput::new("Ops"))
        .await
        .unwrap_err();
    assert_eq!(unplanned.status(), Some(501));
    let unmatched = mock.take_unmatched();
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    assert!(unmatched[0].contains("createTeam") || unmatched[0].contains("POST /beta/teams"));

    // Rules that hand the requests on to the state: create, read back, list, and a 404.
    let creates = mock.teams().create_team().from_state();
    let reads = mock.teams().get_team().from_state();
    mock.teams().list_teams().from_state();
    let team = client
        .teams()
        .create_team(&CreateTeamInput::new("Ops"))
        .await
        .unwrap();
    assert_eq!(client.teams().get_team(team.id).await.unwrap(), team);
    assert_eq!(client.teams().list_teams().await.unwrap(), vec![team]);
    let missing = client
        .teams()
        .get_team(uuid::Uuid::from_u128(1))
        .await
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    assert_eq!((creates.calls(), reads.calls()), (1, 2));
    assert!(mock.take_unmatched().is_empty());

    // An operation outside the resources still needs a rule.
    let err = client
        .organization()
        .get_organization_details()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(501));
    assert_eq!(mock.take_unmatched().len(), 1);
}
