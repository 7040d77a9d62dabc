"""The demo's item bank of 电工 四级/中级工 (6-31-01-03, 2018年版): real-shaped items for every 鉴定点 of
seed_data.THEORY_4 and SKILL_4, written for bulk_bank.fill(texts=...).

THEORY: point code -> max(4, ⌈weight×4⌉) items whose kinds follow bulk_bank.MIX, each {"kind", "stem",
"options", "answer", "explanation", "difficulty"}. SKILL: point code -> five operation tasks, each also with
"scoring" (steps summing to 100), "time_limit_minutes" and "equipment". Pure data: no Django.
"""

from __future__ import annotations

from kaowu.items.demo_bank import automation, basics, electronics, equipment, relay_control, skill_devices, skill_relay

THEORY: dict[str, list[dict]] = {
    **basics.THEORY,
    **relay_control.THEORY,
    **equipment.THEORY,
    **automation.THEORY,
    **electronics.THEORY,
}
SKILL: dict[str, list[dict]] = {
    "S10101": skill_relay.S10101,
    "S10201": skill_relay.S10201,
    "S20101": skill_devices.S20101,
    "S30101": skill_devices.S30101,
    "S40101": skill_devices.S40101,
}
