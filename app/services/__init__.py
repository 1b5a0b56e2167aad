"""Services: plain synchronous functions the UI's DB worker calls with a session and an actor.

Each service validates first (a rejected form writes nothing), then writes, audits and commits."""
