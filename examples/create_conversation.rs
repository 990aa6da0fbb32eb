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
    // Model structs are built with `new` (the required fields, in alphabetical order) and `with_`
    // setters for optional ones, so a field Dixa adds later does not break this code.
    let message = CreateMessageInput::Inbound(Inbound::new(Content::Text(Text::new(
        "Hello, order 1234 has not arrived yet.",
    ))));
    let input = CreateConversationInput::Email(
        Email::new(
            "support@example.dixa.io",
            message,
            requester_id,
            "My order has not arrived",
        )
        .with_language("en"),
    );
    let created = client.conversations().create_conversation(&input).await?;
    println!("created conversation {}", created.id);
    Ok(())
}
