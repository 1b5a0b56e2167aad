"""The lab's rendered configuration, without running Asterisk: least privilege, loopback, no leaked secrets."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from labsim.lab import instance as ins
from labsim.lab.render import PLAIN, SECRET_FILES, TEMPLATES, render
from labsim.lab.rootfs import debian_mirror
from labsim.lab.secrets import DESKS, LEADS, load_or_create


def sections(text: str) -> dict[str, list[tuple[str, str]]]:
    """Parse an Asterisk .conf into {section: [(key, value), ...]} keeping repeated keys."""
    out: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.split(";", 1)[0].strip()
        if not line:
            continue
        m = re.match(r"^\[([^\]]+)\]", line)
        if m:
            current = m.group(1)
            out.setdefault(current, [])
            continue
        key, _, value = line.partition("=")
        out[current].append((key.strip(), value.strip().lstrip(">").strip()))
    return out


def classes(entries: list[tuple[str, str]], key: str) -> set[str]:
    return {c.strip() for k, v in entries if k == key for c in v.split(",")}


@pytest.fixture
def rendered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ins.Instance, dict[str, str], Path]:
    """Render every template for a native-style instance under a temporary state dir."""
    monkeypatch.setenv("CSDESK_LAB_STATE", str(tmp_path / "state"))
    inst = ins.Instance("cfgtest", 10, None)
    inst.state_dir.mkdir(parents=True)
    tls = tmp_path / "tls"
    tls.mkdir()
    for name in ("ca.crt", "server.crt", "server.key"):
        (tls / name).write_text(f"dummy {name}\n")
    secrets = load_or_create(inst)
    render(inst, secrets, tls, "/usr/lib/asterisk/modules", "/usr/share/asterisk")
    etc = inst.host_path(inst.ast_dir("etc"))
    files = {p.name: p.read_text() for p in etc.glob("*.conf")}
    return inst, files, etc


def test_every_template_renders_without_a_placeholder_left(rendered: tuple) -> None:
    _, files, _ = rendered
    assert set(PLAIN + SECRET_FILES) <= set(files)
    for name, text in files.items():
        assert "@@" not in text, name


def test_files_with_secrets_or_personal_data_are_private(rendered: tuple) -> None:
    inst, _, etc = rendered
    for name in SECRET_FILES:
        assert oct((etc / name).stat().st_mode & 0o777) == "0o600", name
    for kind in ("etc", "spool", "log", "lib"):  # recordings and queue_log hold voices and caller numbers
        assert oct(inst.host_path(inst.ast_dir(kind)).stat().st_mode & 0o777) == "0o700", kind


def test_desk_ami_users_have_least_privilege_and_their_own_event_filter(rendered: tuple) -> None:
    _, files, _ = rendered
    conf = sections(files["manager.conf"])
    # no 'agent' write: it would reach every interface's queue membership (a desk changes its own by service calls)
    forbidden = {"all", "system", "command", "config", "originate", "dtmf", "reporting", "dialplan", "agent"}
    for ext in DESKS:
        user = conf[f"desk{ext}"]
        assert classes(user, "write") == {"call"}
        assert classes(user, "read") == {"agent", "call", "user"}
        assert not classes(user, "write") & forbidden
        filters = [v for k, v in user if k.startswith("eventfilter")]
        assert f"PJSIP/{ext}([^0-9]|$)" in filters
        assert not [v for v in filters if re.search(r"PJSIP/10(0[1-9]|10)", v) and ext not in v]
        assert ("deny", "0.0.0.0/0.0.0.0") in user
        assert ("permit", "127.0.0.0/255.0.0.0") in user
    for ext in LEADS:
        lead = conf[f"lead{ext}"]
        assert classes(lead, "write") == {"agent", "call", "originate"}
    with_all = [name for name, entries in conf.items() if "all" in classes(entries, "write")]
    assert with_all == ["admin"]


def test_the_desks_own_membership_features_act_on_the_calling_endpoint_only(rendered: tuple) -> None:
    """9601-9604 are reachable only from the svc<ext> endpoints' [csd-service] (never from a phone's context, never
    included: nothing skips the checks), and every application there names the interface PJSIP/<ext> of the
    authenticated svc<ext> endpoint, never a header."""
    _, files, _ = rendered
    text = files["extensions.conf"]

    def block(name: str) -> str:
        start = text.index(f"\n[{name}]\n")
        end = text.find("\n[", start + 1)
        return text[start:end if end > 0 else None]

    member = block("csd-member")
    assert "include => csd-member" not in text
    assert "960" not in block("from-agents")
    assert "960" not in block("from-leads")
    assert "exten => _960[1-4],1,Goto(csd-member,${EXTEN},1)" in block("csd-service")
    assert 'GotoIf($[${REGEX("^svcr?[0-9]+$" ${CSD_EP})}]?:r403,1)' in member
    assert "Set(CSD_EP=${CHANNEL(endpoint)})" in member
    assert "Set(CSD_IF=PJSIP/${CSD_EP:3})" in member
    apps = re.findall(r"(?:Add|Remove|Pause|Unpause)QueueMember\(([^)]*)\)", member)
    assert len(apps) == 5
    assert all(args.split(",")[1] == "${CSD_IF}" for args in apps)
    assert "Set(CDR_PROP(disable)=1)" in member
    assert re.search(r"^load = func_cdr\.so", files["modules.conf"], re.M), "CDR_PROP needs func_cdr"
    assert not re.search(r"CSD_(IF|EP)=.*PJSIP_HEADER", member)
    pjsip = sections(files["pjsip.conf"])
    for ext in DESKS:
        for desk in (ext, f"r{ext}"):
            assert dict(pjsip[f"svc{desk}"])["context"] == "csd-service"
            assert dict(pjsip[desk])["context"] == "from-agents"


def test_everything_binds_to_the_instance_loopback_address(rendered: tuple) -> None:
    inst, files, _ = rendered
    binds = re.findall(r"^bind\s*=\s*(\S+)", files["pjsip.conf"], re.M)
    assert binds == [f"{inst.host}:15060", f"{inst.host}:15060", f"{inst.host}:15061"]
    assert re.findall(r"^media_address\s*=\s*(\S+)", files["pjsip.conf"], re.M) == [inst.host]
    general = dict(sections(files["manager.conf"])["general"])
    assert general["bindaddr"] == inst.host
    assert general["tlsbindaddr"] == f"{inst.host}:15039"
    rtp = dict(sections(files["rtp.conf"])["general"])
    assert (int(rtp["rtpstart"]), int(rtp["rtpend"])) == inst.rtp_range


def test_remote_endpoints_require_srtp_over_tls(rendered: tuple) -> None:
    _, files, _ = rendered
    conf = sections(files["pjsip.conf"])
    for ext in DESKS:
        remote = dict(conf[f"r{ext}"])
        assert remote["media_encryption"] == "sdes"
        assert remote["media_encryption_optimistic"] == "no"
        assert remote["transport"] == "transport-tls"


def test_committed_templates_hold_no_secret() -> None:
    for path in TEMPLATES.glob("*.conf"):
        for m in re.finditer(r"^\s*(secret|password)\s*=\s*(\S*)", path.read_text(), re.M):
            assert re.fullmatch(r"@@[A-Z_]+@@", m.group(2)), f"{path.name}: {m.group(0)}"


def test_secrets_are_random_per_instance_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSDESK_LAB_STATE", str(tmp_path))
    a, b = ins.Instance("one", 10, None), ins.Instance("two", 11, None)
    sa, sb = load_or_create(a), load_or_create(b)
    assert sa["ami_users"]["admin"] != sb["ami_users"]["admin"]
    assert len(set(sa["sip_passwords"].values())) == len(sa["sip_passwords"])
    a.state_dir.mkdir(parents=True)
    a.info_path.write_text(json.dumps(sa))
    assert load_or_create(a) == sa


def test_instances_get_distinct_addresses_and_rtp_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSDESK_LAB_STATE", str(tmp_path))
    assert ins.index_for("primary") == 1
    assert ins.index_for("standby") == 2
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "lab.json").write_text('{"instance": "other", "index": 10}')
    assert ins.index_for("other") == 10
    fresh = ins.index_for("fresh")  # the first free N >= 11 (an address another lab holds is skipped)
    assert 11 <= fresh < 40
    ranges = [ins.Instance(n, i, None).rtp_range for n, i in (("primary", 1), ("standby", 2), ("x", 10), ("y", 39))]
    for (_, a_hi), (b_lo, _) in itertools.pairwise(ranges):
        assert a_hi < b_lo
    assert ranges[-1][1] <= 65535
    with pytest.raises(SystemExit):
        ins.index_for("Bad Name")


def test_mirror_comes_from_the_machine_apt_sources(tmp_path: Path) -> None:
    d = tmp_path / "sources.list.d"
    d.mkdir()
    (d / "debian.sources").write_text(
        "Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\nComponents: main\n\n"
        "Types: deb\n# a comment\nURIs: http://mirror.example/debian\nSuites: bookworm\nComponents: main\n"
    )
    assert debian_mirror(d, tmp_path / "none") == "http://mirror.example/debian"
    empty = tmp_path / "empty.d"
    empty.mkdir()
    lst = tmp_path / "sources.list"
    lst.write_text("# x\ndeb http://sec.example/debian-security bookworm-security main\n"
                   "deb [arch=amd64] http://old.example/debian bookworm main\n")
    assert debian_mirror(empty, lst) == "http://old.example/debian"
    with pytest.raises(SystemExit):
        debian_mirror(empty, tmp_path / "missing")
