//! The nightly job that brings the CRM's customers into Dixa: each customer becomes an end user
//! (created, or updated where Dixa's copy differs), and the open conversations of VIP customers are
//! tagged `VIP` so agents see who they are talking to.
//!
//! Dixa is read first, page by page, to find the end users the CRM already has (by the CRM's id,
//! kept as Dixa's `externalId`, else by email). What the job does when a call fails:
//!
//! * a 429 is retried by the SDK; one that outlasts its retries stops the run for as long as Dixa
//!   asks, and so do a network failure or an outage (the job is safe to run again: a second run
//!   finds what the first created);
//! * a 404 on an update means the end user was deleted since the listing: it is created again; a
//!   404 on tagging means the conversation is gone: it is counted and skipped;
//! * a 409 on a create means Dixa made the end user since the listing (an email from them, say):
//!   the job finds it by email and updates it;
//! * a refused customer (400, 422) is reported with Dixa's message and the run goes on;
//! * a refused API key or data the SDK cannot read stops the run for a person to look at.

use dixa::models::{
    Conversation, ConversationId, ConversationState, CreateEndUserInput, CreateTagInput, EndUser,
    EndUserId, PatchEndUserInput, TagId,
};
use dixa::{Client, Error};
use std::collections::BTreeMap;
use std::time::Duration;

/// A customer as the CRM exports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// The CRM's id, kept in Dixa as the end user's `externalId`.
    pub crm_id: String,
    /// The primary email.
    pub email: String,
    /// The name agents see.
    pub name: String,
    /// The phone number in E.164 form, when the CRM has one.
    pub phone: Option<String>,
    /// Whether the customer's open conversations are tagged [`VIP_TAG`].
    pub vip: bool,
}

/// The tag of VIP customers' conversations, created by the job if Dixa does not have it.
pub const VIP_TAG: &str = "VIP";

/// End users (and conversations) per page when listing.
pub const PAGE_LIMIT: i32 = 100;

/// How long to wait after a network failure or an outage, when Dixa does not say.
pub const DEFAULT_RETRY: Duration = Duration::from_secs(300);

/// Why a run ended before the last customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// Run again after this long: Dixa asked to wait, was unreachable or failed.
    RetryAfter(Duration),
    /// The API key was refused: someone must fix the configuration.
    Unauthorized,
    /// Dixa sent data the SDK could not read: someone must look at it (the request and the JSON
    /// path that failed).
    UnreadableData {
        /// The request that got it.
        request: String,
        /// Where in the body.
        path: String,
    },
    /// Anything else, with its message.
    Failed(String),
}

/// What one run did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// The CRM ids of the customers created in Dixa.
    pub created: Vec<String>,
    /// The CRM ids of the customers whose end user was updated.
    pub updated: Vec<String>,
    /// Customers Dixa already had as they are.
    pub unchanged: usize,
    /// The conversations tagged [`VIP_TAG`].
    pub tagged: Vec<ConversationId>,
    /// The conversations that were gone (404) when the job tagged them.
    pub gone: Vec<ConversationId>,
    /// Customers Dixa refused, with its message.
    pub rejected: Vec<(String, String)>,
    /// Why the run stopped early, if it did.
    pub stopped: Option<Stop>,
}

/// Brings every customer into Dixa, in order.
pub async fn run(client: &Client, customers: &[Customer]) -> Report {
    let mut report = Report::default();
    if let Err(stop) = sync(client, customers, &mut report).await {
        report.stopped = Some(stop);
    }
    report
}

async fn sync(client: &Client, customers: &[Customer], report: &mut Report) -> Result<(), Stop> {
    let known = Known::load(client).await.map_err(|e| stop_for(&e))?;
    // Looked up once per run, and only when a VIP needs it.
    let mut vip_tag = None;
    for customer in customers {
        let user = match upsert(client, &known, customer, report).await {
            Ok(user) => user,
            Err(error) => match disposition(&error) {
                Disposition::Reject(message) => {
                    report.rejected.push((customer.crm_id.clone(), message));
                    continue;
                }
                Disposition::Stop(stop) => return Err(stop),
            },
        };
        if !customer.vip {
            continue;
        }
        let tag = match vip_tag {
            Some(tag) => tag,
            None => *vip_tag.insert(vip_tag_id(client).await.map_err(|e| stop_for(&e))?),
        };
        tag_open_conversations(client, customer, user, tag, report).await?;
    }
    Ok(())
}

/// The end users Dixa has, by the CRM's id and by email (lowercase).
#[derive(Default)]
struct Known {
    by_crm_id: BTreeMap<String, EndUser>,
    by_email: BTreeMap<String, EndUser>,
}

impl Known {
    async fn load(client: &Client) -> Result<Self, Error> {
        let mut known = Self::default();
        let mut pages = client
            .end_users()
            .list_end_users()
            .page_limit(PAGE_LIMIT)
            .pages();
        while let Some(page) = pages.next_page().await {
            for user in page?.items {
                known.add(user);
            }
        }
        Ok(known)
    }

    fn add(&mut self, user: EndUser) {
        if let Some(email) = &user.email {
            // The first end user with an email keeps it, as Dixa's own lookup by email does.
            self.by_email
                .entry(email.to_lowercase())
                .or_insert_with(|| user.clone());
        }
        if let Some(crm_id) = &user.external_id {
            self.by_crm_id.insert(crm_id.clone(), user);
        }
    }

    fn find(&self, customer: &Customer) -> Option<&EndUser> {
        self.by_crm_id
            .get(&customer.crm_id)
            .or_else(|| self.by_email.get(&customer.email.to_lowercase()))
    }
}

/// Creates or updates the customer's end user; its id.
async fn upsert(
    client: &Client,
    known: &Known,
    customer: &Customer,
    report: &mut Report,
) -> Result<EndUserId, Error> {
    let Some(user) = known.find(customer) else {
        return create(client, customer, report).await;
    };
    match update(client, user, customer, report).await {
        // Deleted (or anonymized) in Dixa since the listing: the CRM still has the customer.
        Err(error) if error.is_not_found() => create(client, customer, report).await,
        result => result,
    }
}

async fn create(
    client: &Client,
    customer: &Customer,
    report: &mut Report,
) -> Result<EndUserId, Error> {
    match client
        .end_users()
        .create_end_user(&create_input(customer))
        .await
    {
        Ok(user) => {
            report.created.push(customer.crm_id.clone());
            Ok(user.id)
        }
        // Dixa made the end user since the listing: update the one it has.
        Err(conflict) if conflict.is_conflict() => {
            let found = client
                .end_users()
                .list_end_users()
                .email(customer.email.as_str())
                .await?;
            match found.data.first() {
                Some(user) => update(client, user, customer, report).await,
                None => Err(conflict),
            }
        }
        Err(error) => Err(error),
    }
}

async fn update(
    client: &Client,
    user: &EndUser,
    customer: &Customer,
    report: &mut Report,
) -> Result<EndUserId, Error> {
    let Some(patch) = patch_for(user, customer) else {
        report.unchanged += 1;
        return Ok(user.id);
    };
    let user = client.end_users().patch_end_user(user.id, &patch).await?;
    report.updated.push(customer.crm_id.clone());
    Ok(user.id)
}

/// The end user Dixa should create for `customer`.
pub fn create_input(customer: &Customer) -> CreateEndUserInput {
    let input = CreateEndUserInput::new()
        .with_display_name(customer.name.as_str())
        .with_email(customer.email.as_str())
        .with_external_id(customer.crm_id.as_str());
    match &customer.phone {
        Some(phone) => input.with_phone_number(phone.as_str()),
        None => input,
    }
}

/// The fields of `user` that differ from `customer`, or `None` when Dixa is up to date. Emails
/// compare without case; a phone the CRM does not have is left as Dixa has it.
pub fn patch_for(user: &EndUser, customer: &Customer) -> Option<PatchEndUserInput> {
    let mut patch = PatchEndUserInput::new();
    let mut changed = false;
    if user.display_name.as_deref() != Some(customer.name.as_str()) {
        patch = patch.with_display_name(customer.name.as_str());
        changed = true;
    }
    if !user
        .email
        .as_deref()
        .is_some_and(|email| email.eq_ignore_ascii_case(&customer.email))
    {
        patch = patch.with_email(customer.email.as_str());
        changed = true;
    }
    if user.external_id.as_deref() != Some(customer.crm_id.as_str()) {
        patch = patch.with_external_id(customer.crm_id.as_str());
        changed = true;
    }
    if let Some(phone) = &customer.phone {
        if user.phone_number.as_ref() != Some(phone) {
            patch = patch.with_phone_number(phone.as_str());
            changed = true;
        }
    }
    changed.then_some(patch)
}

/// The id of the VIP tag, created when Dixa has none (a deactivated one is not listed, and Dixa
/// refuses a second tag of the same name: that stops the run for a person).
async fn vip_tag_id(client: &Client) -> Result<TagId, Error> {
    let tags = client.tags().list_tags().await?;
    if let Some(tag) = tags.iter().find(|t| t.name.eq_ignore_ascii_case(VIP_TAG)) {
        return Ok(tag.id);
    }
    let tag = client
        .tags()
        .create_tag(&CreateTagInput::new(VIP_TAG))
        .await?;
    Ok(tag.id)
}

async fn tag_open_conversations(
    client: &Client,
    customer: &Customer,
    user: EndUserId,
    tag: TagId,
    report: &mut Report,
) -> Result<(), Stop> {
    let mut pages = client
        .end_users()
        .list_end_user_conversations(user)
        .page_limit(PAGE_LIMIT)
        .pages();
    while let Some(page) = pages.next_page().await {
        let page = page.map_err(|e| stop_for(&e))?;
        for id in page
            .items
            .iter()
            .filter(|c| is_open(c))
            .filter_map(|c| c.id())
        {
            // Tagging is a PUT: the SDK retries it after a 429 or an outage on its own.
            match client.conversations().tag_conversation(id, tag).await {
                Ok(()) => report.tagged.push(id),
                Err(error) if error.is_not_found() => report.gone.push(id),
                Err(error) => match disposition(&error) {
                    Disposition::Reject(message) => {
                        report.rejected.push((customer.crm_id.clone(), message));
                    }
                    Disposition::Stop(stop) => return Err(stop),
                },
            }
        }
    }
    Ok(())
}

/// Whether an agent may still answer the conversation (a tag on a closed one helps nobody).
fn is_open(conversation: &Conversation) -> bool {
    !conversation.is_anonymized_conversation()
        && matches!(
            conversation.state(),
            Some(
                ConversationState::Open
                    | ConversationState::Pending
                    | ConversationState::AwaitingPending
            )
        )
}

/// What a failed call means for the run.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Disposition {
    /// Dixa refused this customer: report it with Dixa's message and go on with the next.
    Reject(String),
    /// The run cannot go on.
    Stop(Stop),
}

fn disposition(error: &Error) -> Disposition {
    if error.is_invalid_request() || error.is_conflict() || error.is_not_found() {
        let message = error
            .message()
            .map_or_else(|| error.to_string(), str::to_owned);
        return Disposition::Reject(message);
    }
    Disposition::Stop(stop_for(error))
}

/// Why a failure stops the run.
fn stop_for(error: &Error) -> Stop {
    match error {
        Error::RateLimited { retry_after, .. } => {
            Stop::RetryAfter(retry_after.unwrap_or(DEFAULT_RETRY))
        }
        Error::Decode(decode) => Stop::UnreadableData {
            request: decode.request.clone(),
            path: decode.path.clone(),
        },
        e if e.is_auth() => Stop::Unauthorized,
        e if e.is_timeout() || e.is_connect() || e.is_server_error() => {
            Stop::RetryAfter(DEFAULT_RETRY)
        }
        e => Stop::Failed(e.to_string()),
    }
}

/// The branches of the job's error handling, with the errors a call gives, and no server: the
/// job's runs against a fake Dixa are in `tests/crm_sync.rs`.
#[cfg(test)]
mod tests {
    use super::*;
    use dixa::testing::{errors, pages};

    #[test]
    fn a_rate_limit_stops_the_run_for_as_long_as_dixa_asks() {
        let limited = errors::rate_limited().retry_after_secs(42).into_error();
        assert_eq!(
            disposition(&limited),
            Disposition::Stop(Stop::RetryAfter(Duration::from_secs(42)))
        );
        // Without `Retry-After`, the job's own wait.
        let limited = errors::rate_limited().into_error();
        assert_eq!(
            disposition(&limited),
            Disposition::Stop(Stop::RetryAfter(DEFAULT_RETRY))
        );
    }

    #[test]
    fn network_failures_and_outages_are_retried_later() {
        for error in [
            errors::timeout("GET /beta/endusers"),
            errors::connect("GET /beta/endusers"),
            errors::api_error(503)
                .body("<html>Service Unavailable</html>")
                .into_error(),
        ] {
            assert_eq!(
                disposition(&error),
                Disposition::Stop(Stop::RetryAfter(DEFAULT_RETRY)),
                "{error}"
            );
        }
    }

    #[test]
    fn a_refused_api_key_stops_for_a_person() {
        for status in [401, 403] {
            let error = errors::api_error(status)
                .message("Unauthorized")
                .into_error();
            assert_eq!(disposition(&error), Disposition::Stop(Stop::Unauthorized));
        }
    }

    #[test]
    fn a_refused_or_missing_customer_is_reported_with_dixas_message() {
        let invalid = errors::api_error(400)
            .message("Validation failure during enduser creation")
            .request("POST /beta/endusers")
            .into_error();
        assert_eq!(
            disposition(&invalid),
            Disposition::Reject("Validation failure during enduser creation".to_owned())
        );
        for status in [404, 409, 422] {
            let error = errors::api_error(status).message("refused").into_error();
            assert_eq!(
                disposition(&error),
                Disposition::Reject("refused".to_owned())
            );
        }
        // Without Dixa's `{"message": ...}`, the error's own text.
        let bare = errors::api_error(404).body("").into_error();
        let Disposition::Reject(message) = disposition(&bare) else {
            panic!("{bare:?}")
        };
        assert!(message.contains("404"), "{message}");
    }

    #[test]
    fn unreadable_data_names_the_request_and_the_path() {
        // What the client reports when an end user's id is not a UUID.
        let body = r#"{"data":[{"id":"42","createdAt":"2024-01-01T00:00:00Z"}]}"#;
        let error = pages::page_from_json::<EndUser>(body).unwrap_err();
        assert_eq!(
            stop_for(&error),
            Stop::UnreadableData {
                request: errors::DEFAULT_REQUEST.to_owned(),
                path: "data[0].id".to_owned(),
            }
        );
        // Or built by hand, with the request the job made.
        let error = errors::decode_error("data[3].createdAt", "premature end of input", "{}")
            .request("GET /beta/endusers")
            .into_error();
        assert!(matches!(
            disposition(&error),
            Disposition::Stop(Stop::UnreadableData { ref request, .. }) if request == "GET /beta/endusers"
        ));
    }

    #[test]
    fn other_errors_stop_with_their_message() {
        let error = errors::api_error(418)
            .message("I'm a teapot")
            .request("GET /beta/endusers")
            .into_error();
        let Disposition::Stop(Stop::Failed(message)) = disposition(&error) else {
            panic!("{error:?}")
        };
        assert!(message.contains("I'm a teapot"), "{message}");
    }

    fn dixa_user(email: Option<&str>) -> EndUser {
        let created = dixa::DateTime::parse("2024-01-01T00:00:00Z").unwrap();
        let id: dixa::models::EndUserId = "00000000-0000-0000-0000-000000000001".parse().unwrap();
        let user = EndUser::new(created, id)
            .with_display_name("Ann Lee")
            .with_external_id("crm-1");
        match email {
            Some(email) => user.with_email(email),
            None => user,
        }
    }

    fn ann() -> Customer {
        Customer {
            crm_id: "crm-1".to_owned(),
            email: "ann@shop.test".to_owned(),
            name: "Ann Lee".to_owned(),
            phone: None,
            vip: false,
        }
    }

    #[test]
    fn only_the_fields_that_differ_are_patched() {
        assert_eq!(patch_for(&dixa_user(Some("ANN@shop.test")), &ann()), None);
        let moved = Customer {
            email: "ann@elsewhere.test".to_owned(),
            phone: Some("+4512345678".to_owned()),
            ..ann()
        };
        assert_eq!(
            patch_for(&dixa_user(Some("ann@shop.test")), &moved),
            Some(
                PatchEndUserInput::new()
                    .with_email("ann@elsewhere.test")
                    .with_phone_number("+4512345678")
            )
        );
        assert_eq!(
            patch_for(&dixa_user(None), &ann()),
            Some(PatchEndUserInput::new().with_email("ann@shop.test"))
        );
    }
}
