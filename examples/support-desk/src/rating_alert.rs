//! The webhook handler for `ConversationRated`: a rating at or below the threshold becomes an
//! internal note on the conversation (so whoever opens it next sees the rating) and an [`Alert`] for
//! the team lead. Every delivery is verified first; a redelivery (the same `event_id`) alerts once.
//!
//! When Dixa cannot take the note now (a 429 that outlasts the SDK's retries, an outage, a network
//! failure), the handler answers 503 without alerting, and Dixa delivers the event again later; a
//! conversation that is gone (404) gets no note, and the team lead is still alerted.

use dixa::models::CreateInternalNoteInput;
use dixa::webhooks::{EventPayload, EventRatedData, SignatureSource, Webhook};
use dixa::Client;
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
    /// A low rating: the alert was sent, and the note added unless the conversation was gone.
    Alerted {
        /// Whether the conversation got its internal note.
        noted: bool,
    },
    /// A rating above the threshold, or another event (also one this SDK does not know).
    Ignored,
    /// The same event was handled before (Dixa redelivers when an answer is slow).
    Duplicate,
    /// Dixa could not take the note now: nothing was alerted, and Dixa should deliver again.
    RetryLater,
    /// The delivery was refused: the step that failed.
    Refused(&'static str),
}

impl Outcome {
    /// The status to answer: 2xx for anything handled, so Dixa does not redeliver it; 503 to be
    /// delivered again; 401 for a delivery that is not from Dixa; 400 for a body that is no event;
    /// 500 when this side is misconfigured, so Dixa retries later.
    pub fn status(&self) -> u16 {
        match self {
            Outcome::Alerted { .. } | Outcome::Ignored | Outcome::Duplicate => 200,
            Outcome::RetryLater => 503,
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
    client: Client,
    seen: Mutex<BTreeSet<String>>,
}

impl<A: Alerts> RatingAlerts<A> {
    /// A handler verifying with the subscription's secret, alerting on scores at or below
    /// `threshold`, and noting them in Dixa through `client`.
    pub fn new(secret_hex: &str, threshold: i64, alerts: A, client: Client) -> Self {
        Self {
            webhook: Webhook::new(secret_hex),
            threshold,
            alerts,
            client,
            seen: Mutex::new(BTreeSet::new()),
        }
    }

    /// Handles one delivery: the request's headers (any case) and its raw body.
    pub async fn handle<S: SignatureSource + ?Sized>(&self, headers: &S, body: &[u8]) -> Outcome {
        let event = match self.webhook.construct_event(headers, body) {
            Ok(event) => event,
            Err(error) => return Outcome::Refused(error.step()),
        };
        // Claimed before any work, so two concurrent deliveries of one event alert once.
        if !self.mark_seen(&event.event_id, true) {
            return Outcome::Duplicate;
        }
        let EventPayload::ConversationRated(rating) = &event.payload else {
            return Outcome::Ignored;
        };
        let Some(alert) = alert_for(rating).filter(|alert| alert.score <= self.threshold) else {
            return Outcome::Ignored;
        };
        let noted = match alert.csid {
            Some(csid) => match self.add_note(csid, &alert).await {
                Note::Added => true,
                Note::Skipped => false,
                Note::Later => {
                    // Not handled after all: the redelivery must not count as a duplicate.
                    self.mark_seen(&event.event_id, false);
                    return Outcome::RetryLater;
                }
            },
            None => false,
        };
        self.alerts.send(alert);
        Outcome::Alerted { noted }
    }

    /// Adds (`true`) or removes `event_id` from the events handled; whether the set changed.
    fn mark_seen(&self, event_id: &str, seen: bool) -> bool {
        let Ok(mut handled) = self.seen.lock() else {
            return true;
        };
        if seen {
            handled.insert(event_id.to_owned())
        } else {
            handled.remove(event_id)
        }
    }

    /// Adds the internal note on the rated conversation.
    async fn add_note(&self, csid: i64, alert: &Alert) -> Note {
        let note = CreateInternalNoteInput::new(note_text(alert));
        match self
            .client
            .conversations()
            .add_internal_note(csid, &note)
            .await
        {
            Ok(_) => Note::Added,
            Err(e)
                if e.is_rate_limited()
                    || e.is_server_error()
                    || e.is_timeout()
                    || e.is_connect() =>
            {
                Note::Later
            }
            // Gone (404), or a note Dixa will never take: the alert matters more.
            Err(_) => Note::Skipped,
        }
    }
}

/// What became of the internal note.
enum Note {
    Added,
    /// The conversation is gone, or Dixa refuses the note for good.
    Skipped,
    /// Dixa cannot take it now: try again on the redelivery.
    Later,
}

/// The note's text: the score and the end user's words.
pub fn note_text(alert: &Alert) -> String {
    match &alert.comment {
        Some(comment) => format!(
            "Rated {} by the end user: \"{comment}\". The team lead was alerted.",
            alert.score
        ),
        None => format!(
            "Rated {} by the end user. The team lead was alerted.",
            alert.score
        ),
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

/// The pure parts; deliveries and Dixa's answers are in `tests/rating_alert.rs`.
#[cfg(test)]
mod tests {
    use super::*;
    use dixa::testing::webhooks as kit;
    use dixa::webhooks::{EventConversation, EventUser};

    #[test]
    fn the_score_is_read_from_the_rating_or_from_its_conversation() {
        let rating = EventRatedData::new()
            .with_score(1)
            .with_agent(EventUser::new().with_name("Ada"))
            .with_conversation(EventConversation::new().with_csid(7).with_score(4));
        assert_eq!(
            alert_for(&rating).map(|a| (a.score, a.csid)),
            Some((1, Some(7)))
        );

        // A delivery as one integration recorded it: the score in `data.conversation`.
        let body = r#"{"event_id":"4f1a","event_fqn":"CONVERSATION_RATED","event_version":"1",
            "event_timestamp":"2024-03-01T09:30:00.000Z","organization":{"id":"o1","name":"Shop"},
            "data":{"conversation":{"csid":88,"score":2,"type":"Csat"},"agent":{"name":"Grace"}}}"#;
        let event = kit::event_from_json::<dixa::webhooks::Event>(body)
            .unwrap()
            .build()
            .unwrap();
        let EventPayload::ConversationRated(rating) = &event.payload else {
            panic!("{event:?}")
        };
        let alert = alert_for(rating).unwrap();
        assert_eq!((alert.csid, alert.score), (Some(88), 2));
        assert_eq!(alert.agent.as_deref(), Some("Grace"));

        assert_eq!(alert_for(&EventRatedData::new()), None);
    }

    #[test]
    fn every_outcome_has_the_status_dixa_expects() {
        assert_eq!(Outcome::Alerted { noted: false }.status(), 200);
        assert_eq!(Outcome::Duplicate.status(), 200);
        assert_eq!(Outcome::RetryLater.status(), 503);
        assert_eq!(Outcome::Refused("signature").status(), 401);
        assert_eq!(Outcome::Refused("body").status(), 400);
        assert_eq!(Outcome::Refused("secret").status(), 500);
    }
}
