//! Lists every agent of the organization, following pages.
//!
//! `DIXA_BASE_URL=http://127.0.0.1:4010 cargo run -p dixa-examples --example list_agents`

use futures_util::StreamExt;

#[tokio::main]
async fn main() -> Result<(), dixa::Error> {
    let client = dixa_examples::client_from_env()?;
    // Optional query parameters are setters of the request; `items()` follows `meta.next`.
    let mut agents = std::pin::pin!(client.agents().list_agents().page_limit(50).items());
    let mut count = 0;
    while let Some(agent) = agents.next().await {
        let agent = agent?;
        count += 1;
        println!("{}  {} <{}>", agent.id, agent.display_name, agent.email);
    }
    println!("{count} agents");
    Ok(())
}
