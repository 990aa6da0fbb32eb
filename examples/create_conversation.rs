//! Creates an inbound email conversation for an end user.
//!
//! `DIXA_BASE_URL=http://127.0.0.1:4010 cargo run -p dixa-examples --example create_conversation`

use dixa::models::{
    Content, CreateConversationInput, CreateMessageInput, Email, EmailRequired, Inbound, Text,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = dixa_examples::client_from_env()?;
    let requester_id: uuid::Uuid = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "b0323b42-c428-4afa-970e-20bf5bdeeec4".into())
        .parse()?;
    // Model structs are built with `new` and `with_` setters for optional fields, so a field Dixa
    // adds later does not break this code. `new` takes the required fields as arguments
    // (`Text::new(..)`), or, where two of them would accept the same value (`Email`'s integration
    // id and subject are both strings), as a struct that names each one.
    let message = CreateMessageInput::Inbound(Inbound::new(Content::Text(Text::new(
        "Hello, order 1234 has not arrived yet.",
    ))));
    let input = CreateConversationInput::Email(
        Email::new(EmailRequired {
            email_integration_id: "support@example.dixa.io".to_owned(),
            message,
            requester_id: requester_id.into(),
            subject: "My order has not arrived".to_owned(),
        })
        .with_language("en"),
    );
    let created = client.conversations().create_conversation(&input).await?;
    println!("created conversation {}", created.id);
    Ok(())
}
