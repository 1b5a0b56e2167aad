"""The desk's settings for the agent session, mapped by the app from the centre's configuration."""

from __future__ import annotations

from dataclasses import dataclass, field

from cti.ami.link import PbxAddress
from cti.membership import MemberFeatures
from cti.softphone import SipAccount
from cti.state import DEFAULT_REASONS, Policy, Status


@dataclass(frozen=True, slots=True, kw_only=True)
class DeskConfig:
    """Who the agent is, where the PBX is, and how the centre wants work state handled.

    Bounds: a dead AMI link is noticed within ``2 * heartbeat_seconds``; a muted recording unmutes
    by itself after ``recording_mute_max_seconds``."""

    agent_id: str
    extension: str
    member_name: str
    queues: tuple[str, ...]
    pbx: tuple[PbxAddress, ...]
    ami_user: str
    ami_secret: str = field(repr=False)
    sip: SipAccount
    wrap_up_seconds: float = 30.0
    after_wrap_up: str = "ready"  # "ready" or "not_ready"
    after_wrap_up_reason: str = DEFAULT_REASONS[-1]
    not_ready_reasons: tuple[str, ...] = DEFAULT_REASONS
    recording_mute_max_seconds: float = 60.0
    heartbeat_seconds: float = 5.0
    action_timeout: float = 5.0
    confirm_timeout: float = 10.0  # how long a phone command waits for the PBX to confirm it
    consult_timeout: float = 30.0  # how long a consult call may ring before it counts as failed
    dial_context: str = "from-agents"
    survey_extension: str = "9555"
    conference_prefix: str = "70"
    internal_extensions: str = r"[12][0-9]{3}"  # agents' and leads' extensions: transfers to them are supervised
    member_features: MemberFeatures = field(default_factory=MemberFeatures)  # service-call codes for the desk's own queue membership

    @property
    def interface(self) -> str:
        return f"PJSIP/{self.extension}"

    @property
    def conference_room(self) -> str:
        """This agent's own ConfBridge room (7000-7099 in the lab), from the last two digits."""
        return f"{self.conference_prefix}{self.extension[-2:]}"

    def policy(self) -> Policy:
        after = Status.NOT_READY if self.after_wrap_up == "not_ready" else Status.READY
        return Policy(reasons=self.not_ready_reasons, wrap_up_seconds=self.wrap_up_seconds,
                      after_wrap_up=after, after_wrap_up_reason=self.after_wrap_up_reason)
