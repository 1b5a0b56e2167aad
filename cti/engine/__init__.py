"""The SIP/media engine: pjsua2 in its own process, and the desk's asyncio client for it."""
