"""Lobby service rules on plain values (SPEC §9): how to address, priority, place, routing.

Decisions where the spec is silent (docs/rules.md "vip lobby"):
- a customer of unknown gender is addressed neutrally as surname + 贵宾 ("欧阳贵宾");
- a non-VIP walk-in (no signed tier) gets priority 4, the outlet decides the place,
  and only a greeting as service standard;
- surnames keep the script of the stored name (a Traditional name keeps its surname);
- address_as is Chinese in every language (it is how the customer is spoken to, §15);
  the place and the service standard follow the language of the screen (§16).
"""

from __future__ import annotations

from vipcli.i18n import N_, _

# Compound surnames (复姓) in both scripts, as names are stored: kept whole (§15 address_as).
# The Traditional forms are accepted input spellings (data imported as it was written).
COMPOUND_SURNAMES = frozenset(
    {
        "歐陽", "欧阳", "司馬", "司马", "諸葛", "诸葛", "上官", "東方", "东方", "皇甫",
        "尉遲", "尉迟", "公孫", "公孙", "慕容", "令狐", "夏侯", "長孫", "长孙", "宇文",
        "司徒", "端木", "獨孤", "独孤", "軒轅", "轩辕", "澹臺", "澹台", "聞人", "闻人",
        "南宮", "南宫", "西門", "西门", "太史", "申屠", "鍾離", "钟离", "呼延", "赫連",
        "赫连", "万俟", "淳于", "單于", "单于", "濮陽", "濮阳", "公冶", "宗政", "百里",
        "東郭", "东郭", "拓跋", "完顏", "完颜", "司空", "司寇", "左丘", "谷梁", "亓官",
    }
)

HONORIFIC = {"M": "先生", "F": "女士"}
NEUTRAL_HONORIFIC = "贵宾"  # unknown gender: never guess 先生/女士 from a name

# §9: priority order Diamond > Platinum > Gold > others.
PRIORITY = {"diamond": 1, "platinum": 2, "gold": 3}
OTHERS_PRIORITY = 4

VIP_ROOM = N_("VIP room")
OUTLET_DECIDES = N_("as the outlet decides")

# §9: the service standard of each tier ("five ones" and "two ones").
GREETING = N_("A greeting")
PREMIUM_TEA = N_("A cup of premium tea or coffee")
MID_GRADE_TEA = N_("A cup of mid-grade tea or coffee")
MANAGER_AND_HEAD = N_("A dedicated account manager; the branch head receives and accompanies them")
DEDICATED_MANAGER = N_("A dedicated account manager")
BUSINESS_CARD = N_("A business card")
LEAFLET_AND_INTRODUCTION = N_("A leaflet and the outlet's service introduction")
LEAFLET_NEW_SERVICES = N_("A leaflet of hot products and new services")
LEAFLET = N_("A leaflet of hot products")

# Who the lobby hands a walk-in to (§9).
OWN_MANAGER = "own_manager"
BRANCH_HEAD = "branch_head"
ACCOUNT_MANAGER = "account_manager"


def surname(name: str | None) -> str:
    """The family name: a compound surname kept whole, else the first character."""
    cleaned = (name or "").strip()
    if not cleaned:
        return ""
    if cleaned[:2] in COMPOUND_SURNAMES:
        return cleaned[:2]
    if cleaned.isascii():
        # a romanised name such as "Ada Smith": the last word is the family name
        return cleaned.split()[-1]
    return cleaned[0]


def address_as(name: str | None, gender: str | None) -> str:
    """§9: surname + 先生 / 女士; unknown gender → surname + 贵宾 (Chinese in every language)."""
    family = surname(name)
    honorific = HONORIFIC.get((gender or "").upper(), NEUTRAL_HONORIFIC)
    if family and family.isascii():
        return f"{family} {honorific}"
    return f"{family}{honorific}"


def priority(tier: str | None) -> int:
    """§9: Diamond 1 > Platinum 2 > Gold 3 > others 4."""
    return PRIORITY.get(tier or "", OTHERS_PRIORITY)


def place(tier: str | None) -> str:
    """§9: the VIP room (贵宾室) for Diamond and Platinum; otherwise the outlet decides."""
    return _(VIP_ROOM) if tier in ("diamond", "platinum") else _(OUTLET_DECIDES)


def service_standard(tier: str | None, *, other_outlet: bool) -> list[str]:
    """§9: the "five ones" (五个一) for Diamond and Platinum, the "two ones" for Gold."""
    if tier in ("diamond", "platinum"):
        diamond = tier == "diamond"
        items = [GREETING, PREMIUM_TEA if diamond else MID_GRADE_TEA,
                 MANAGER_AND_HEAD if diamond else DEDICATED_MANAGER, BUSINESS_CARD,
                 LEAFLET_AND_INTRODUCTION if other_outlet else LEAFLET_NEW_SERVICES]
    elif tier == "gold":
        items = [GREETING, LEAFLET]
    else:
        items = [GREETING]
    return [_(item) for item in items]


def route(tier: str | None, *, own_outlet: bool, has_manager: bool) -> str:
    """§9: own manager first; another outlet's Diamond → branch head; others → a manager.

    A customer of this outlet without an (active) manager is routed like a stranger:
    Diamond to the branch head (网点负责人重点维护, §2), everyone else to an account manager.
    """
    if own_outlet and has_manager:
        return OWN_MANAGER
    return BRANCH_HEAD if tier == "diamond" else ACCOUNT_MANAGER
