//! Code that uses the `dixa` SDK the way its README and examples teach: client set-up, a filtered
//! list followed across pages, a create with a body, matches on a union and an enum, error
//! handling, and fixtures built from response types.
//!
//! Nothing here runs; it only has to compile. `tests/semver.rs` compiles it, unchanged, against the
//! SDK regenerated from each single-change copy of the spec: an additive change must leave it
//! compiling, and a breaking one it uses (a field type that changed) must not.

use dixa::models::{
    CreateInternalNoteInput, SubmittedRatingResult, Tag, TagId, TagRequired, TagState,
};
use futures_util::StreamExt;
use std::time::Duration;

/// A client for production: timeout, retries and Dixa's rate limit.
pub fn client(api_key: String, base_url: Option<String>) -> Result<dixa::Client, dixa::Error> {
    let mut builder = dixa::Client::builder()
        .api_key(api_key)
        .timeout(Duration::from_secs(20))
        .user_agent("downstream/1.0")
        .retry(dixa::RetryPolicy::default().with_max_attempts(4))
        .rate_limit(dixa::RateLimit::DIXA);
    if let Some(base_url) = base_url {
        builder = builder.base_url(base_url);
    }
    builder.build()
}

/// The ids of the end users with an email address, across every page.
pub async fn end_user_ids(client: &dixa::Client, email: &str) -> Result<Vec<String>, dixa::Error> {
    let users = client
        .end_users()
        .list_end_users()
        .email(email)
        .page_limit(50);
    let mut users = std::pin::pin!(users.items());
    let mut ids = Vec::new();
    while let Some(user) = users.next().await {
        ids.push(user?.id.to_string());
    }
    Ok(ids)
}

/// Adds an internal note to a conversation, optionally on behalf of an agent, and returns its id.
pub async fn add_note(
    client: &dixa::Client,
    conversation_id: i64,
    message: &str,
    agent_id: Option<uuid::Uuid>,
) -> Result<uuid::Uuid, dixa::Error> {
    let mut note = CreateInternalNoteInput::new(message);
    if let Some(agent_id) = agent_id {
        note = note.with_agent_id(agent_id);
    }
    let created = client
        .conversations()
        .add_internal_note(conversation_id, &note)
        .await?;
    Ok(created.id)
}

/// An agent's display name, or `None` when Dixa does not know the agent.
pub async fn agent_name(
    client: &dixa::Client,
    agent_id: uuid::Uuid,
) -> Result<Option<String>, dixa::Error> {
    match client.agents().get_agent(agent_id).await {
        Ok(agent) => Ok(Some(agent.display_name)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether an error is worth retrying later, and what to log about it.
pub fn classify(error: &dixa::Error) -> (bool, String) {
    match error {
        dixa::Error::RateLimited { retry_after, .. } => {
            (true, format!("rate limited, retry after {retry_after:?}"))
        }
        dixa::Error::Transport(e) if e.is_timeout() => (true, "timeout".into()),
        e if e.kind() == dixa::ErrorKind::Server => (true, e.to_string()),
        dixa::Error::Api(e) => (e.status >= 500, format!("status {}", e.status)),
        other => (false, other.to_string()),
    }
}

/// A rating in words. The union is non-exhaustive: a rating kind added later lands in `_`.
pub fn describe_rating(rating: &SubmittedRatingResult) -> String {
    match rating {
        SubmittedRatingResult::Csat(csat) => format!("CSAT {}", csat.value),
        SubmittedRatingResult::Nps(nps) => format!("NPS {}", nps.value),
        SubmittedRatingResult::ThumbsUpOrDown(thumbs) => format!("thumbs {}", thumbs.value),
        _ => "another kind of rating".to_owned(),
    }
}

/// The names of the active tags, with their colours. The enum is non-exhaustive, so a state added
/// later lands in `_`.
pub fn active_tags(tags: &[Tag]) -> Vec<(String, String)> {
    tags.iter()
        .filter(|tag| match tag.state {
            TagState::Active => true,
            TagState::Inactive => false,
            _ => false,
        })
        .map(|tag| {
            let color = tag.color.as_deref().unwrap_or("none").to_owned();
            (tag.name.clone(), color)
        })
        .collect()
}

/// A tag as a test fixture, built from the response type. Its required name and state would both
/// accept a string, so `new` takes them by name.
pub fn tag_fixture(name: &str) -> Tag {
    Tag::new(TagRequired {
        id: TagId::from(uuid::Uuid::nil()),
        name: name.to_owned(),
        state: TagState::Active,
    })
    .with_color("red")
}

/// The first page of an agent list, with options, sent with `.send()` instead of `.await`.
pub async fn first_agents(client: &dixa::Client) -> Result<Vec<String>, dixa::Error> {
    let page = client.agents().list_agents().page_limit(10).send().await?;
    Ok(page
        .data
        .into_iter()
        .map(|agent| agent.display_name)
        .collect())
}

/// Every email address of an agent: a list the API may omit reads as an empty `Vec`.
pub fn all_emails(agent: &dixa::models::Agent) -> Vec<&str> {
    std::iter::once(agent.email.as_str())
        .chain(agent.additional_emails.iter().map(String::as_str))
        .collect()
}

/// The names of every tag, deactivated ones included, awaited as the README teaches: the list
/// operation's result is the `Vec<Tag>` its `{data}` envelope holds, whatever members the envelope
/// gains beside `data` later (`meta` when the list gains pagination).
pub async fn tag_names(client: &dixa::Client) -> Result<Vec<String>, dixa::Error> {
    let tags: Vec<Tag> = client.tags().list_tags().include_deactivated(true).await?;
    Ok(tags.into_iter().map(|tag| tag.name).collect())
}

/// The active tags, sent with `.send_with_meta()` to log the attempts it took.
pub async fn active_tags_of(client: &dixa::Client) -> Result<(Vec<Tag>, u32), dixa::Error> {
    let (tags, meta): (Vec<Tag>, dixa::ResponseMeta) =
        client.tags().list_tags().send_with_meta().await?;
    let active = tags
        .into_iter()
        .filter(|tag| matches!(tag.state, TagState::Active))
        .collect();
    Ok((active, meta.attempts))
}

/// A queue's name and whether it is the organization's default, as `get_queue` answers
/// (`QueueDetails`: Dixa's schema `Queue1`, the whole queue rather than a conversation's reference).
pub async fn queue_summary(
    client: &dixa::Client,
    queue_id: dixa::models::QueueId,
) -> Result<String, dixa::Error> {
    let queue: dixa::models::QueueDetails = client.queues().get_queue(queue_id).await?;
    Ok(format!("{} (default: {})", queue.name, queue.is_default))
}

/// The kind of a conversation as Dixa writes its `_type` (`"EmailConversation"`): `type_name()`,
/// which cannot be mistaken for the conversation's tags.
pub fn conversation_kind(conversation: &dixa::models::Conversation) -> &str {
    conversation.type_name()
}

/// Whether a channel filter keeps the listed channels (`IsOneOf`) rather than leaving them out:
/// the variant named as a question is its own predicate.
pub fn keeps_listed_channels(operator: &dixa::models::ChannelOperator) -> bool {
    operator.is_one_of() && !operator.is_not_one_of()
}

/// The conversation a webhook delivery is about, for the events that carry one: webhook types are
/// `Event*`, apart from the REST models of other shapes.
pub fn delivered_conversation(
    event: &dixa::webhooks::Event,
) -> Option<&dixa::webhooks::EventConversation> {
    match &event.payload {
        dixa::webhooks::EventPayload::ConversationCreated(data)
        | dixa::webhooks::EventPayload::ConversationClosed(data) => data.conversation.as_ref(),
        _ => None,
    }
}

/// A team's members read whole and prepared for a bulk rename: the id a response gives (a team
/// member's agent id, an agent's own id) is passed to the next call and constructor as it is,
/// with the type that names its entity.
pub async fn rename_team_members(
    client: &dixa::Client,
    team_id: dixa::models::TeamId,
    prefix: &str,
) -> Result<Vec<dixa::models::BulkPatchAgentInput>, dixa::Error> {
    let mut patches = Vec::new();
    for member in client.teams().list_members(team_id).await? {
        let agent = client.agents().get_agent(member.id).await?;
        let name = format!("{prefix} {}", agent.display_name);
        patches.push(dixa::models::BulkPatchAgentInput::new(agent.id).with_display_name(name));
    }
    Ok(patches)
}

/// The conversation an internal note belongs to, read through the note's `csid`.
pub async fn note_conversation(
    client: &dixa::Client,
    note: &dixa::models::InternalNoteData,
) -> Result<dixa::models::Conversation, dixa::Error> {
    client.conversations().get_conversation(note.csid).await
}

/// A client whose every call ends within a minute, however many retries it takes.
pub fn bounded_client(api_key: String) -> Result<dixa::Client, dixa::Error> {
    dixa::Client::builder()
        .api_key(api_key)
        .timeout(Duration::from_secs(10))
        .deadline(Duration::from_secs(60))
        .build()
}

/// A conversation's messages as text lines, whatever channel each came through, read within a
/// deadline of its own; a call that ran out of time says how many attempts it made.
pub async fn transcript(
    client: &dixa::Client,
    conversation_id: i64,
) -> Result<Vec<String>, dixa::Error> {
    let messages = match client
        .conversations()
        .list_messages(conversation_id)
        .deadline(Duration::from_secs(5))
        .await
    {
        Err(dixa::Error::Deadline(e)) if e.attempts > 1 && e.last_error.is_some() => {
            return Err(dixa::Error::Deadline(e))
        }
        other => other?,
    };
    Ok(messages
        .iter()
        .map(|message| {
            let text = message.text().or(message.attributes.text()).unwrap_or("");
            format!("{}: {text}", message.created_at)
        })
        .collect())
}

/// A metric's aggregates as `(measure, number)` pairs, without matching on their variants.
pub fn aggregates(values: &[dixa::models::AggregateValue]) -> Vec<(String, f64)> {
    values
        .iter()
        .filter_map(|v| Some((v.measure()?.to_string(), v.value()?)))
        .collect()
}

/// An agent with extra emails and roles from arrays, `Vec`s of `&str` and iterators.
pub fn with_contacts(agent: dixa::models::Agent, extra: &[&str]) -> dixa::models::Agent {
    agent
        .with_additional_emails(extra.iter().copied())
        .with_additional_phone_numbers(["+4512345678"])
        .with_roles(vec!["Agent", "Admin"])
        .with_middle_names(Vec::<String>::new())
}

/// Whether an error is a deadline that passed (also a timeout).
pub fn is_out_of_time(error: &dixa::Error) -> bool {
    error.is_deadline() && error.is_timeout() && error.kind() == dixa::ErrorKind::Deadline
}

/// An agent's roles from a response body, as a job that reads Dixa's JSON itself would: `roles`
/// is a plain list that is empty whether Dixa leaves it out or sends `null` (0.2 failed the whole
/// decode on `"roles": null`), so no `Option` to unwrap.
pub fn agent_roles(body: &str) -> Result<Vec<String>, serde_json::Error> {
    let agent: dixa::models::Agent = serde_json::from_str(body)?;
    Ok(agent.roles)
}

/// The organization's activity from a note's time until now: a `DateTime` decoded from a
/// response (with Dixa's `[GMT]` suffix) goes straight into a date-time query parameter, which
/// sends it in UTC with `Z`, and `DateTime::now()` gives the end of the period.
pub async fn activity_since_note(
    client: &dixa::Client,
    note: &dixa::models::InternalNoteData,
) -> Result<dixa::models::ListActivityLogOutput, dixa::Error> {
    client
        .conversations()
        .list_organization_activity_log()
        .from_datetime(note.created_at.clone())
        .to_datetime(dixa::DateTime::now())
        .await
}

/// The text a date-time query parameter carries, for logs and hand-made URLs:
/// `2021-12-01T12:46:36.581Z` for a value Dixa sent as `2021-12-01T12:46:36.581Z[GMT]`.
pub fn url_time(value: &dixa::DateTime) -> String {
    value.to_utc_string(chrono::SecondsFormat::Millis)
}

/// Constructors whose arguments could be swapped unnoticed take them by name: the two date-times of
/// an interval, through the union's short constructor; one whose arguments are of different kinds
/// (a link type, a conversation id) keeps them positional.
pub fn interval_and_link(
    start: dixa::DateTime,
    end: dixa::DateTime,
    parent: dixa::models::ConversationId,
) -> (
    dixa::models::PeriodFilter,
    dixa::models::LinkConversationInput,
) {
    let period =
        dixa::models::PeriodFilter::interval(dixa::models::IntervalRequired { start, end });
    let link =
        dixa::models::LinkConversationInput::new(dixa::models::LinkType::SideConversation, parent);
    (period, link)
}

/// Two ids over UUIDs in one call take their own types, so they cannot be swapped either.
pub async fn move_article(
    client: &dixa::Client,
    article: dixa::models::ArticleId,
    parent: dixa::models::CategoryId,
) -> Result<(), dixa::Error> {
    client.knowledge().move_article(article, parent).await
}

#[cfg(test)]
mod tests {
    use super::*;

    const AGENT: &str = r#"{"id": "6f8f5f44-4d62-4a0d-9f2b-1b2c3d4e5f60",
        "displayName": "Jane", "email": "jane@example.com",
        "createdAt": "2021-12-01T12:46:36.581Z[GMT]", "phoneNumber": null"#;

    #[test]
    fn null_and_absent_roles_are_empty() {
        for roles in [r#", "roles": null}"#, "}"] {
            let body = format!("{AGENT}{roles}");
            assert_eq!(agent_roles(&body).expect("decodes"), Vec::<String>::new());
        }
        let listed = format!(r#"{AGENT}, "roles": ["Agent", "Admin"]}}"#);
        assert_eq!(agent_roles(&listed).expect("decodes"), ["Agent", "Admin"]);
    }

    #[test]
    fn date_time_parameters_are_sent_in_utc() {
        let sent: dixa::DateTime = "2021-12-01T12:46:36.581Z[GMT]"
            .parse()
            .expect("a date-time");
        assert_eq!(url_time(&sent), "2021-12-01T12:46:36.581Z");
        let offset: dixa::DateTime = "2021-12-01T14:46:36.581+02:00"
            .parse()
            .expect("a date-time");
        assert_eq!(url_time(&offset), "2021-12-01T12:46:36.581Z");
        assert!(url_time(&dixa::DateTime::now()).ends_with('Z'));
        let from_clock = dixa::DateTime::from(std::time::SystemTime::UNIX_EPOCH);
        assert_eq!(url_time(&from_clock), "1970-01-01T00:00:00.000Z");
    }
}
