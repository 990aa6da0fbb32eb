//! The webhook handler for `ConversationRated`: a rating at or below the threshold becomes an
//! [`Alert`] for the team lead. Every delivery is verified first; a redelivery (the same
//! `event_id`) alerts once.

use dixa::webhooks::{EventPayload, EventRatedData, SignatureSource, Webhook};
use std::collections::BTreeSet;
use std::sync::Mutex;

/// What the team lead is told about a bad rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// The conversation that was rated.
    pub csid: Option<i64>,
    /// The score the end user gave.
    pub score: i64,
    /// The agent who handled the conversation.
    pub agent: Option<String>,
    /// The end user's comment.
    pub comment: Option<String>,
}

/// Where alerts go (a chat channel, a pager); tests record them.
pub trait Alerts {
    /// Sends one alert.
    fn send(&self, alert: Alert);
}

/// What the handler did with a delivery, and the HTTP status to answer Dixa with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A low rating: the alert was sent.
    Alerted,
    /// A rating above the threshold, or another event.
    Ignored,
    /// The same event was handled before (Dixa redelivers when an answer is slow).
    Duplicate,
    /// The delivery was refused: the step that failed.
    Refused(&'static str),
}

impl Outcome {
    /// The status to answer: 2xx for anything handled, so Dixa does not redeliver it; 401 for a
    /// delivery that is not from Dixa; 500 when this side is misconfigured, so Dixa retries later.
    pub fn status(&self) -> u16 {
        match self {
            Outcome::Alerted | Outcome::Ignored | Outcome::Duplicate => 200,
            Outcome::Refused("secret") => 500,
            Outcome::Refused("body") => 400,
            Outcome::Refused(_) => 401,
        }
    }
}

/// The handler: one per webhook subscription.
pub struct RatingAlerts<A> {
    webhook: Webhook,
    threshold: i64,
    alerts: A,
    seen: Mutex<BTreeSet<String>>,
}

impl<A: Alerts> RatingAlerts<A> {
    /// A handler verifying with the subscription's secret, alerting on scores at or below
    /// `threshold`.
    pub fn new(secret_hex: &str, threshold: i64, alerts: A) -> Self {
        Self {
            webhook: Webhook::new(secret_hex),
            threshold,
            alerts,
            seen: Mutex::new(BTreeSet::new()),
        }
    }

    /// Handles one delivery: the request's headers (any case) and its raw body.
    pub fn handle<S: SignatureSource + ?Sized>(&self, headers: &S, body: &[u8]) -> Outcome {
        let event = match self.webhook.construct_event(headers, body) {
            Ok(event) => event,
            Err(error) => return Outcome::Refused(error.step()),
        };
        let fresh = self
            .seen
            .lock()
            .map(|mut seen| seen.insert(event.event_id.clone()))
            .unwrap_or(true);
        if !fresh {
            return Outcome::Duplicate;
        }
        let EventPayload::ConversationRated(rating) = &event.payload else {
            return Outcome::Ignored;
        };
        match alert_for(rating) {
            Some(alert) if alert.score <= self.threshold => {
                self.alerts.send(alert);
                Outcome::Alerted
            }
            _ => Outcome::Ignored,
        }
    }
}

/// The alert a rating makes. Dixa puts the score in `data` or, in some deliveries, in
/// `data.conversation`.
fn alert_for(rating: &EventRatedData) -> Option<Alert> {
    let conversation = rating.conversation.as_ref();
    let score = rating
        .score
        .or_else(|| conversation.and_then(|c| c.score))?;
    Some(Alert {
        csid: conversation.and_then(|c| c.csid),
        score,
        agent: rating.agent.as_ref().and_then(|a| a.name.clone()),
        comment: rating.comment.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dixa::testing::webhooks as kit;
    use dixa::webhooks::{EventConversation, EventConversationData, EventUser};
    use std::cell::RefCell;
    use std::time::{Duration, SystemTime};

    const SECRET: &str = "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c";

    #[derive(Default)]
    struct Recorded(RefCell<Vec<Alert>>);

    impl Alerts for &Recorded {
        fn send(&self, alert: Alert) {
            self.0.borrow_mut().push(alert);
        }
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

    #[test]
    fn a_low_rating_alerts_the_team_lead() {
        let recorded = Recorded::default();
        let handler = RatingAlerts::new(SECRET, 2, &recorded);
        let delivery = kit::event(rating(1)).sign(SECRET).unwrap();
        let outcome = handler.handle(delivery.headers(), delivery.body());
        assert_eq!((outcome.clone(), outcome.status()), (Outcome::Alerted, 200));
        assert_eq!(
            recorded.0.borrow().as_slice(),
            [Alert {
                csid: Some(4711),
                score: 1,
                agent: Some("Ada Lovelace".to_owned()),
                comment: Some("Waited two days".to_owned()),
            }]
        );
    }

    #[test]
    fn a_good_rating_or_another_event_is_ignored() {
        let recorded = Recorded::default();
        let handler = RatingAlerts::new(SECRET, 2, &recorded);
        for payload in [
            rating(5),
            EventPayload::ConversationCreated(EventConversationData::new()),
        ] {
            let delivery = kit::event(payload).sign(SECRET).unwrap();
            assert_eq!(
                handler.handle(delivery.headers(), delivery.body()),
                Outcome::Ignored
            );
        }
        assert!(recorded.0.borrow().is_empty());
    }

    #[test]
    fn a_score_inside_the_conversation_alerts_too() {
        // A delivery as one integration recorded it: the score in `data.conversation`.
        let recorded = Recorded::default();
        let handler = RatingAlerts::new(SECRET, 2, &recorded);
        let body = r#"{"event_id":"4f1a","event_fqn":"CONVERSATION_RATED","event_version":"1",
            "event_timestamp":"2024-03-01T09:30:00.000Z","organization":{"id":"o1","name":"Shop"},
            "data":{"conversation":{"csid":88,"score":2,"type":"Csat"},"agent":{"name":"Grace"}}}"#;
        let delivery = kit::delivery(body).sign(SECRET).unwrap();
        assert_eq!(
            handler.handle(delivery.headers(), delivery.body()),
            Outcome::Alerted
        );
        assert_eq!(recorded.0.borrow()[0].csid, Some(88));
        assert_eq!(recorded.0.borrow()[0].score, 2);
    }

    #[test]
    fn a_redelivery_alerts_once() {
        let recorded = Recorded::default();
        let handler = RatingAlerts::new(SECRET, 2, &recorded);
        let first = kit::event(rating(1))
            .event_id("evt-7")
            .sign(SECRET)
            .unwrap();
        // Dixa signs each attempt again; the event id stays.
        let again = kit::event(rating(1))
            .event_id("evt-7")
            .sign(SECRET)
            .unwrap();
        assert_eq!(
            handler.handle(first.headers(), first.body()),
            Outcome::Alerted
        );
        let outcome = handler.handle(again.headers(), again.body());
        assert_eq!(
            (outcome.clone(), outcome.status()),
            (Outcome::Duplicate, 200)
        );
        assert_eq!(recorded.0.borrow().len(), 1);
    }

    #[test]
    fn forged_stale_and_misconfigured_deliveries_are_refused_without_alerting() {
        let recorded = Recorded::default();
        let handler = RatingAlerts::new(SECRET, 2, &recorded);
        let delivery = kit::event(rating(1)).sign(SECRET).unwrap();

        let mut forged = delivery.body().to_vec();
        forged.extend_from_slice(b" ");
        let outcome = handler.handle(delivery.headers(), &forged);
        assert_eq!(
            (outcome.clone(), outcome.status()),
            (Outcome::Refused("signature"), 401)
        );

        let other_secret = kit::event(rating(1))
            .sign("00112233445566778899aabbccddeeff")
            .unwrap();
        assert_eq!(
            handler.handle(other_secret.headers(), other_secret.body()),
            Outcome::Refused("signature")
        );

        let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
        let stale = kit::delivery(delivery.body())
            .signed_at(an_hour_ago)
            .sign(SECRET)
            .unwrap();
        assert_eq!(
            handler.handle(stale.headers(), stale.body()),
            Outcome::Refused("timestamp")
        );

        let unsigned: Vec<(String, String)> = Vec::new();
        assert_eq!(
            handler.handle(&unsigned, delivery.body()),
            Outcome::Refused("header")
        );

        let misconfigured = RatingAlerts::new("", 2, &recorded);
        let outcome = misconfigured.handle(delivery.headers(), delivery.body());
        assert_eq!(
            (outcome.clone(), outcome.status()),
            (Outcome::Refused("secret"), 500)
        );
        assert!(recorded.0.borrow().is_empty());
    }
}
