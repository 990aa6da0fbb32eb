//! Adds an internal note to a conversation.
//!
//! `DIXA_BASE_URL=http://127.0.0.1:4010 cargo run -p dixa-examples --example add_internal_note -- 12345 "Called back"`

use dixa::models::CreateInternalNoteInput;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let conversation_id: i64 = args.next().unwrap_or_else(|| "12345".into()).parse()?;
    let message = args
        .next()
        .unwrap_or_else(|| "Customer called back; issue resolved.".into());
    let client = dixa_examples::client_from_env()?;
    let note = client
        .conversations()
        .add_internal_note(conversation_id, &CreateInternalNoteInput::new(message))
        .await?;
    println!(
        "note {} added at {} by {}",
        note.id, note.created_at, note.author_id
    );
    Ok(())
}
