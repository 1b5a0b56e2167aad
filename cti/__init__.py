"""Telephony with no Qt: the AMI agent session, the agent state machine, the SIP/media engine."""
