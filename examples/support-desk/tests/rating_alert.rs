//! The rating-alert webhook handler, given deliveries signed as Dixa signs them
//! (`dixa::testing::webhooks`) and a fake Dixa (`dixa::testing::MockDixa`) for the internal note it
//! adds on a low rating.

use dixa::models::{
    AgentId, ConversationId, CreateInternalNoteInput, InternalNoteData, InternalNoteDataRequired,
};
use dixa::testing::webhooks as kit;
use dixa::testing::MockDixa;
use dixa::webhooks::{
    EventConversation, EventConversationData, EventPayload, EventRatedData, EventUser,
};
use dixa_example_support_desk::rating_alert::{Alert, Alerts, Outcome, RatingAlerts};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

const SECRET: &str = "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c";

/// The alerts the handler sent.
#[derive(Default)]
struct Recorded(Mutex<Vec<Alert>>);

impl Recorded {
    fn alerts(&self) -> Vec<Alert> {
        self.0.lock().unwrap().clone()
    }
}

impl Alerts for &Recorded {
    fn send(&self, alert: Alert) {
        self.0.lock().unwrap().push(alert);
    }
}

async fn fake_dixa() -> MockDixa {
    MockDixa::start().await.expect("a port on loopback")
}

fn rating(score: i64) -> EventPayload {
    EventPayload::ConversationRated(
        EventRatedData::new()
            .with_score(score)
            .with_comment("Waited two days")
            .with_agent(EventUser::new().with_name("Ada Lovelace"))
            .with_conversation(EventConversation::new().with_csid(4711)),
    )
}

/// The note Dixa answers with.
fn note(csid: i64, message: &str) -> InternalNoteData {
    let author: AgentId = "5e8a300e-787e-47cd-af53-fc1ccc37933d".parse().unwrap();
    let id: uuid::Uuid = "eb31acbb-13f9-4ce7-abd3-44dd86266741".parse().unwrap();
    let at = dixa::DateTime::parse("2024-03-01T09:31:00Z").unwrap();
    InternalNoteData::new(InternalNoteDataRequired {
        author_id: author,
        created_at: at,
        csid: ConversationId::from(csid),
        id,
        message: message.to_owned(),
    })
}

#[tokio::test]
async fn a_low_rating_is_noted_on_the_conversation_and_alerts_the_team_lead() {
    let dixa = fake_dixa().await;
    dixa.strict();
    let text = "Rated 1 by the end user: \"Waited two days\". The team lead was alerted.";
    let noted = dixa
        .conversations()
        .add_internal_note()
        .with_conversation_id(4711)
        .returns(&note(4711, text));
    let recorded = Recorded::default();
    let handler = RatingAlerts::new(SECRET, 2, &recorded, dixa.client().clone());

    let delivery = kit::event(rating(1)).sign(SECRET).unwrap();
    let outcome = handler.handle(delivery.headers(), delivery.body()).await;

    assert_eq!(
        (outcome.clone(), outcome.status()),
        (Outcome::Alerted { noted: true }, 200)
    );
    assert_eq!(
        recorded.alerts(),
        [Alert {
            csid: Some(4711),
            score: 1,
            agent: Some("Ada Lovelace".to_owned()),
            comment: Some("Waited two days".to_owned()),
        }]
    );
    // The note as the handler sent it, decoded into the SDK's type.
    assert_eq!(
        noted.requests()[0].body(),
        Some(&CreateInternalNoteInput::new(text))
    );
}

#[tokio::test]
async fn a_score_inside_the_conversation_alerts_too() {
    // Not strict, no rule: the note is answered with the spec's example, which this test does not
    // look at.
    let dixa = fake_dixa().await;
    let recorded = Recorded::default();
    let handler = RatingAlerts::new(SECRET, 2, &recorded, dixa.client().clone());
    // A delivery as one integration recorded it: the score in `data.conversation`.
    let body = r#"{"event_id":"4f1a","event_fqn":"CONVERSATION_RATED","event_version":"1",
        "event_timestamp":"2024-03-01T09:30:00.000Z","organization":{"id":"o1","name":"Shop"},
        "data":{"conversation":{"csid":88,"score":2,"type":"Csat"},"agent":{"name":"Grace"}}}"#;
    let delivery = kit::delivery(body).sign(SECRET).unwrap();

    let outcome = handler.handle(delivery.headers(), delivery.body()).await;

    assert!(matches!(outcome, Outcome::Alerted { .. }), "{outcome:?}");
    assert_eq!(recorded.alerts()[0].csid, Some(88));
    assert_eq!(recorded.alerts()[0].score, 2);
}

#[tokio::test]
async fn good_ratings_other_events_and_unknown_events_are_ignored_without_calling_dixa() {
    let dixa = fake_dixa().await;
    // No rule at all: any call to Dixa fails the test.
    dixa.strict();
    let recorded = Recorded::default();
    let handler = RatingAlerts::new(SECRET, 2, &recorded, dixa.client().clone());
    let good = kit::event(rating(5)).sign(SECRET).unwrap();
    let created = kit::event(EventPayload::ConversationCreated(
        EventConversationData::new(),
    ))
    .sign(SECRET)
    .unwrap();
    // An event type Dixa added after this SDK was generated: verified, decoded, answered 200.
    let unknown = kit::delivery(
        r#"{"event_id":"9a9a","event_fqn":"CONVERSATION_TELEPORTED","event_version":"1",
            "event_timestamp":"2024-03-01T09:30:00.000Z","data":{"to":"Mars"}}"#,
    )
    .sign(SECRET)
    .unwrap();

    for delivery in [good, created, unknown] {
        let outcome = handler.handle(delivery.headers(), delivery.body()).await;
        assert_eq!((outcome.clone(), outcome.status()), (Outcome::Ignored, 200));
    }
    assert!(recorded.alerts().is_empty());
}

#[tokio::test]
async fn forged_stale_and_misconfigured_deliveries_are_refused_without_alerting() {
    let dixa = fake_dixa().await;
    dixa.strict();
    let recorded = Recorded::default();
    let handler = RatingAlerts::new(SECRET, 2, &recorded, dixa.client().clone());
    let delivery = kit::event(rating(1)).sign(SECRET).unwrap();

    // The body changed after signing.
    let tampered = String::from_utf8(delivery.body().to_vec())
        .unwrap()
        .replace("Waited two days", "Great service");
    let outcome = handler
        .handle(delivery.headers(), tampered.as_bytes())
        .await;
    assert_eq!(
        (outcome.clone(), outcome.status()),
        (Outcome::Refused("signature"), 401)
    );

    // Signed with another subscription's secret.
    let other_secret = kit::event(rating(1))
        .sign("00112233445566778899aabbccddeeff")
        .unwrap();
    assert_eq!(
        handler
            .handle(other_secret.headers(), other_secret.body())
            .await,
        Outcome::Refused("signature")
    );

    // A replay of an old delivery.
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let stale = kit::delivery(delivery.body())
        .signed_at(an_hour_ago)
        .sign(SECRET)
        .unwrap();
    assert_eq!(
        handler.handle(stale.headers(), stale.body()).await,
        Outcome::Refused("timestamp")
    );

    let unsigned: Vec<(String, String)> = Vec::new();
    assert_eq!(
        handler.handle(&unsigned, delivery.body()).await,
        Outcome::Refused("header")
    );

    let misconfigured = RatingAlerts::new("", 2, &recorded, dixa.client().clone());
    let outcome = misconfigured
        .handle(delivery.headers(), delivery.body())
        .await;
    assert_eq!(
        (outcome.clone(), outcome.status()),
        (Outcome::Refused("secret"), 500)
    );
    assert!(recorded.alerts().is_empty());
}

#[tokio::test]
async fn a_rate_limited_note_is_retried_by_the_sdk() {
    let dixa = fake_dixa().await;
    dixa.strict();
    let rule = dixa
        .conversations()
        .add_internal_note()
        .with_conversation_id(4711)
        .rate_limited(Duration::ZERO)
        .then_returns(&note(4711, "noted"));
    let recorded = Recorded::default();
    let handler = RatingAlerts::new(SECRET, 2, &recorded, dixa.client().clone());
    let delivery = kit::event(rating(2)).sign(SECRET).unwrap();

    let outcome = handler.handle(delivery.headers(), delivery.body()).await;

    assert_eq!(outcome, Outcome::Alerted { noted: true });
    assert_eq!(rule.calls(), 2);
    assert_eq!(recorded.alerts().len(), 1);
}

#[tokio::test]
async fn an_outage_asks_dixa_to_redeliver_and_the_redelivery_alerts_once() {
    let dixa = fake_dixa().await;
    dixa.strict();
    // Dixa is deploying for the first attempt (a POST is not retried after a 503), then takes it.
    let down = dixa
        .conversations()
        .add_internal_note()
        .fails(503, "deploying")
        .times(1);
    let up = dixa
        .conversations()
        .add_internal_note()
        .returns(&note(4711, "noted"));
    let recorded = Recorded::default();
    let handler = RatingAlerts::new(SECRET, 2, &recorded, dixa.client().clone());
    let first = kit::event(rating(1))
        .event_id("evt-7")
        .sign(SECRET)
        .unwrap();
    // Dixa signs each attempt again; the event id stays.
    let again = kit::event(rating(1))
        .event_id("evt-7")
        .sign(SECRET)
        .unwrap();

    let outcome = handler.handle(first.headers(), first.body()).await;
    assert_eq!(
        (outcome.clone(), outcome.status()),
        (Outcome::RetryLater, 503)
    );
    assert!(recorded.alerts().is_empty());

    assert_eq!(
        handler.handle(again.headers(), again.body()).await,
        Outcome::Alerted { noted: true }
    );
    // A third delivery of the same event is a duplicate: no second note, no second alert.
    assert_eq!(
        handler.handle(again.headers(), again.body()).await,
        Outcome::Duplicate
    );
    assert_eq!((down.calls(), up.calls()), (1, 1));
    assert_eq!(recorded.alerts().len(), 1);
}

#[tokio::test]
async fn a_conversation_that_is_gone_still_alerts_without_a_note() {
    let dixa = fake_dixa().await;
    dixa.strict();
    let rule = dixa
        .conversations()
        .add_internal_note()
        .with_conversation_id(4711)
        .fails(404, "An entity in this request could not be found");
    let recorded = Recorded::default();
    let handler = RatingAlerts::new(SECRET, 2, &recorded, dixa.client().clone());
    let delivery = kit::event(rating(1)).sign(SECRET).unwrap();

    let outcome = handler.handle(delivery.headers(), delivery.body()).await;

    assert_eq!(
        (outcome.clone(), outcome.status()),
        (Outcome::Alerted { noted: false }, 200)
    );
    assert_eq!(rule.calls(), 1);
    assert_eq!(recorded.alerts().len(), 1);
}
