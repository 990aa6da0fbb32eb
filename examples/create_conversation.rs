//! Creates an inbound email conversation for an end user.
//!
//! `DIXA_BASE_URL=http://127.0.0.1:4010 cargo run -p dixa-examples --example create_conversation`

use dixa::models::{Content, CreateConversationInput, CreateMessageInput, Email, Inbound, Text};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = dixa_examples::client_from_env()?;
    let requester_id: uuid::Uuid = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "b0323b42-c428-4afa-970e-20bf5bdeeec4".into())
        .parse()?;
    let input = CreateConversationInput::Email(Email {
        email_integration_id: "support@example.dixa.io".into(),
        language: Some("en".into()),
        requester_id,
        subject: "My order has not arrived".into(),
        message: CreateMessageInput::Inbound(Inbound {
            content: Content::Text(Text {
                value: "Hello, order 1234 has not arrived yet.".into(),
            }),
            attachments: None,
            external_id: None,
            integration_email: None,
        }),
    });
    let created = client.conversations().create_conversation(&input).await?;
    println!("created conversation {}", created.id);
    Ok(())
}
