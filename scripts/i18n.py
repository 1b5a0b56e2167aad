#!/usr/bin/env python3
"""Refresh the Qt Linguist catalogue from ui/ and compile it.

  .venv/bin/python scripts/i18n.py update   # lupdate ui/ -> resources/i18n/csdesk_zh_CN.ts, fill from the glossary
  .venv/bin/python scripts/i18n.py compile  # lrelease .ts -> .qm (setup.sh runs this)
  .venv/bin/python scripts/i18n.py check    # exit 1 if any source text lacks a Chinese translation

The .ts file is the source of truth (edit it with pyside6-linguist); the glossary below only fills
entries that are still empty, so a translator's edits are never overwritten.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "csdesk_zh_CN.ts"
BIN = Path(sys.executable).parent

GLOSSARY = {
    "Answer": "接听", "Hang up": "挂断", "Hold": "保持", "Resume": "恢复通话", "Mute": "静音", "Keypad": "拨号盘",
    "Transfer": "转接", "Consult": "咨询", "Complete transfer": "完成转接", "Cancel consult": "取消咨询",
    "Swap": "切换", "Conference": "会议", "To survey": "转满意度评价", "Pause recording": "暂停录音", "Dial": "外呼",
    "Number, extension or queue": "号码、分机或队列", "Customer": "客户",
    "Unknown caller: search by phone, ID, policy or plate": "未识别来电：可按电话、证件号、保单号或车牌查询",
    "none": "无", "csdesk": "csdesk 坐席工作台", "PBX link lost, reconnecting…": "与交换机的连接中断，正在重连…",
    "Resynced with the PBX: ": "已与交换机重新同步：", "Enter a number, extension or queue first.": "请先输入号码、分机或队列。",
    "Caller": "来电号码", "Queue": "队列", "Policy entered": "客户输入的保单号", "(withheld)": "（未显示号码）",
    "csdesk: sign in": "csdesk：签入", "Agent ID": "工号", "Remote (masked data)": "远程（数据脱敏）",
    "On-site": "职场", "Sign in": "签入", "Password": "密码", "Desk profile": "坐席类型",
    "Enter your agent ID (digits only).": "请输入工号（仅数字）。", "Enter your password.": "请输入密码。",
    "Signing in…": "正在签入…", "Signed out": "已签出", "Not ready": "示忙", "Ready": "示闲", "Ringing": "振铃",
    "Talking": "通话中", "On hold": "保持中", "Consulting": "咨询中", "Wrap-up": "话后整理", "Signing out…": "正在签出…",
    "PBX unreachable": "交换机不可达", "Pause after this call": "本通话后示忙", "Extend": "延长",
    "Finish wrap-up": "结束整理", "Wrap-up left: %1": "整理剩余：%1", "Possible matches": "可能的客户",
    "Name": "姓名", "ID": "证件", "Birth date": "出生日期", "Mobile": "手机", "Address": "地址", "Language": "语言",
    "Active policies": "有效保单", "Open claims": "未结案件", "Open transfer orders": "在办转办单",
    "Due callbacks": "待回访", "Last contacts": "最近联络",
}


def update() -> None:
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-ts", str(TS)], check=True, capture_output=True)
    tree = ET.parse(TS)
    filled = 0
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        tr = message.find("translation")
        if tr is not None and (tr.get("type") == "unfinished" or not (tr.text or "").strip()) and source in GLOSSARY:
            tr.text = GLOSSARY[source]
            tr.attrib.pop("type", None)
            filled += 1
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    print(f"i18n: {TS.relative_to(ROOT)} updated, {filled} filled from the glossary")


def compile_qm() -> None:
    subprocess.run([str(BIN / "pyside6-lrelease"), "-silent", str(TS), "-qm", str(TS.with_suffix(".qm"))], check=True)


def check() -> int:
    missing = [
        m.findtext("source") or ""
        for m in ET.parse(TS).iter("message")
        if (m.find("translation") is None or m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
            or not (m.findtext("translation") or "").strip())
    ]
    for text in missing:
        print(f"i18n: untranslated: {text!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "check"
    if cmd == "update":
        update()
    elif cmd == "compile":
        compile_qm()
    else:
        sys.exit(check())
