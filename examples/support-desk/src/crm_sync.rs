//! The nightly job that copies Dixa's end users into the CRM, page by page, and decides what to do
//! when Dixa fails: wait as Dixa asks, retry later after a network failure or an outage, stop and
//! page someone when the API key is refused or Dixa sends data the SDK cannot read.

use dixa::models::EndUser;
use dixa::{Error, Page, Pages};
use std::future::Future;
use std::time::Duration;

/// A contact as the CRM keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Dixa's end-user id.
    pub dixa_id: String,
    /// The primary email, the CRM's key.
    pub email: String,
    /// The display name, when Dixa has one.
    pub name: Option<String>,
}

/// The CRM's API, as far as the job uses it.
pub trait Crm {
    /// Creates or updates a contact by email.
    fn upsert(&mut self, contact: Contact);
}

/// Where the pages of end users come from: [`Pages`] in production, a list of results in tests.
pub trait EndUserPages {
    /// The next page, `None` after the last one.
    fn next_page(&mut self) -> impl Future<Output = Option<Result<Page<EndUser>, Error>>>;
}

impl EndUserPages for Pages<EndUser> {
    fn next_page(&mut self) -> impl Future<Output = Option<Result<Page<EndUser>, Error>>> {
        Pages::next_page(self)
    }
}

/// Why a run ended before the last page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// Try again after this long: Dixa asked to wait, was unreachable or failed.
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
    /// Contacts written to the CRM.
    pub synced: usize,
    /// End users without an email, which the CRM cannot key.
    pub skipped: usize,
    /// Why the run stopped early, if it did.
    pub stopped: Option<Stop>,
}

/// How long to wait after a network failure or an outage, when Dixa does not say.
pub const DEFAULT_RETRY: Duration = Duration::from_secs(300);

/// Copies every end user of every page into the CRM.
pub async fn sync_end_users(pages: &mut impl EndUserPages, crm: &mut impl Crm) -> Report {
    let mut report = Report::default();
    while let Some(page) = pages.next_page().await {
        match page {
            Ok(page) => {
                for user in page.items {
                    match contact_of(user) {
                        Some(contact) => {
                            crm.upsert(contact);
                            report.synced += 1;
                        }
                        None => report.skipped += 1,
                    }
                }
            }
            Err(error) => {
                report.stopped = Some(stop_for(&error));
                break;
            }
        }
    }
    report
}

/// The whole job against Dixa.
pub async fn run(client: &dixa::Client, crm: &mut impl Crm) -> Report {
    let mut pages = client.end_users().list_end_users().page_limit(100).pages();
    sync_end_users(&mut pages, crm).await
}

fn contact_of(user: EndUser) -> Option<Contact> {
    Some(Contact {
        dixa_id: user.id.to_string(),
        email: user.email?,
        name: user.display_name,
    })
}

/// What to do about a failed page.
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

#[cfg(test)]
mod tests {
    use super::*;
    use dixa::testing::{errors, pages};
    use std::collections::VecDeque;

    /// The pages a test hands the job, in order.
    struct Scripted(VecDeque<Result<Page<EndUser>, Error>>);

    impl EndUserPages for Scripted {
        #[allow(
            clippy::manual_async_fn,
            reason = "the trait's signature, as implemented"
        )]
        fn next_page(&mut self) -> impl Future<Output = Option<Result<Page<EndUser>, Error>>> {
            async { self.0.pop_front() }
        }
    }

    #[derive(Default)]
    struct RecordingCrm(Vec<Contact>);

    impl Crm for RecordingCrm {
        fn upsert(&mut self, contact: Contact) {
            self.0.push(contact);
        }
    }

    fn user(n: u128, email: Option<&str>) -> EndUser {
        let created = dixa::DateTime::parse("2024-01-01T00:00:00Z").unwrap();
        let user = EndUser::new(created, uuid_of(n)).with_display_name(format!("User {n}"));
        match email {
            Some(email) => user.with_email(email),
            None => user,
        }
    }

    fn uuid_of(n: u128) -> dixa::models::EndUserId {
        format!("00000000-0000-0000-0000-{n:012}").parse().unwrap()
    }

    async fn run_with(results: Vec<Result<Page<EndUser>, Error>>) -> (Report, RecordingCrm) {
        let mut crm = RecordingCrm::default();
        let report = sync_end_users(&mut Scripted(results.into()), &mut crm).await;
        (report, crm)
    }

    #[tokio::test]
    async fn every_page_is_synced_and_users_without_email_are_skipped() {
        let first = pages::page(vec![user(1, Some("a@shop.test")), user(2, None)])
            .next_page_key("cGFnZT0y")
            .build();
        let last = pages::page(vec![user(3, Some("c@shop.test"))]).build();
        let (report, crm) = run_with(vec![Ok(first), Ok(last)]).await;
        assert_eq!(
            report,
            Report {
                synced: 2,
                skipped: 1,
                stopped: None
            }
        );
        assert_eq!(crm.0[1].email, "c@shop.test");
        assert_eq!(crm.0[0].name.as_deref(), Some("User 1"));
    }

    #[tokio::test]
    async fn a_rate_limit_stops_the_run_for_as_long_as_dixa_asks() {
        let first = pages::page(vec![user(1, Some("a@shop.test"))])
            .next_page_key("x")
            .build();
        let limited = errors::rate_limited().retry_after_secs(42).into_error();
        let (report, crm) = run_with(vec![Ok(first), Err(limited)]).await;
        assert_eq!(report.synced, 1);
        assert_eq!(crm.0.len(), 1);
        assert_eq!(
            report.stopped,
            Some(Stop::RetryAfter(Duration::from_secs(42)))
        );
        // Without `Retry-After`, the job's own wait.
        let (report, _) = run_with(vec![Err(errors::rate_limited().into_error())]).await;
        assert_eq!(report.stopped, Some(Stop::RetryAfter(DEFAULT_RETRY)));
    }

    #[tokio::test]
    async fn network_failures_and_outages_are_retried_later() {
        for error in [
            errors::timeout("GET /beta/endusers"),
            errors::connect("GET /beta/endusers"),
            errors::api_error(503)
                .body("<html>Service Unavailable</html>")
                .into_error(),
        ] {
            let (report, _) = run_with(vec![Err(error)]).await;
            assert_eq!(report.stopped, Some(Stop::RetryAfter(DEFAULT_RETRY)));
        }
    }

    #[tokio::test]
    async fn a_refused_api_key_stops_for_a_person() {
        for status in [401, 403] {
            let error = errors::api_error(status)
                .message("Unauthorized")
                .into_error();
            let (report, _) = run_with(vec![Err(error)]).await;
            assert_eq!(report.stopped, Some(Stop::Unauthorized));
        }
    }

    #[tokio::test]
    async fn unreadable_data_names_the_request_and_the_path() {
        // What the client reports when an end user's id is not a UUID.
        let body = r#"{"data":[{"id":"42","createdAt":"2024-01-01T00:00:00Z"}]}"#;
        let error = pages::page_from_json::<EndUser>(body).unwrap_err();
        let (report, _) = run_with(vec![Err(error)]).await;
        assert_eq!(
            report.stopped,
            Some(Stop::UnreadableData {
                request: errors::DEFAULT_REQUEST.to_owned(),
                path: "data[0].id".to_owned(),
            })
        );
        // Or built by hand, with the request the job made.
        let error = errors::decode_error("data[3].createdAt", "premature end of input", "{}")
            .request("GET /beta/endusers")
            .into_error();
        let (report, _) = run_with(vec![Err(error)]).await;
        assert!(matches!(
            report.stopped,
            Some(Stop::UnreadableData { ref request, .. }) if request == "GET /beta/endusers"
        ));
    }

    #[tokio::test]
    async fn other_errors_stop_with_their_message() {
        let error = errors::api_error(400)
            .message("pageLimit must be at most 100")
            .request("GET /beta/endusers")
            .into_error();
        let (report, _) = run_with(vec![Err(error)]).await;
        let Some(Stop::Failed(message)) = report.stopped else {
            panic!("{report:?}")
        };
        assert!(
            message.contains("pageLimit must be at most 100"),
            "{message}"
        );
    }
}
