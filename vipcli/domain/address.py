"""Lobby service rules on plain values (SPEC §9): how to address, priority, place, routing.

Decisions where the spec is silent (docs/rules.md "vip lobby"):
- a customer of unknown gender is addressed neutrally as surname + 貴賓 ("歐陽貴賓");
- a non-VIP walk-in (no signed tier) gets priority 4, the outlet decides the place,
  and only a greeting as service standard;
- surnames keep the script of the stored name (歐陽 stays traditional, 欧阳 simplified).
"""

from __future__ import annotations

# Compound surnames (複姓) in traditional and simplified script: kept whole (§15 address_as).
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
NEUTRAL_HONORIFIC = "貴賓"  # unknown gender: never guess 先生/女士 from a name

# §9: priority order Diamond > Platinum > Gold > others.
PRIORITY = {"diamond": 1, "platinum": 2, "gold": 3}
OTHERS_PRIORITY = 4

VIP_ROOM = "貴賓室 VIP room"
OUTLET_DECIDES = "由網點視具體情況確定 decided by the outlet"

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
    """§9: surname + 先生 / 女士; unknown gender → surname + 貴賓."""
    family = surname(name)
    honorific = HONORIFIC.get((gender or "").upper(), NEUTRAL_HONORIFIC)
    if family and family.isascii():
        return f"{family} {honorific}"
    return f"{family}{honorific}"


def priority(tier: str | None) -> int:
    """§9: Diamond 1 > Platinum 2 > Gold 3 > others 4."""
    return PRIORITY.get(tier or "", OTHERS_PRIORITY)


def place(tier: str | None) -> str:
    """§9: the VIP room for Diamond and Platinum; otherwise the outlet decides."""
    return VIP_ROOM if tier in ("diamond", "platinum") else OUTLET_DECIDES


def service_standard(tier: str | None, *, other_outlet: bool) -> list[str]:
    """§9: the "five ones" (五個一) for Diamond and Platinum, the "two ones" for Gold."""
    greeting = "一聲問候 a greeting"
    if tier in ("diamond", "platinum"):
        tea = (
            "一杯高檔茶或咖啡 a cup of premium tea or coffee"
            if tier == "diamond"
            else "一杯中檔茶或咖啡 a cup of mid-grade tea or coffee"
        )
        dedicated = (
            "一名專職客戶經理，網點主任接待陪同 a dedicated manager; the branch head receives them"
            if tier == "diamond"
            else "一名專職客戶經理 a dedicated account manager"
        )
        leaflet = (
            "一份宣傳材料及本網點服務介紹單折 a leaflet plus the outlet introduction"
            if other_outlet
            else "一份宣傳材料 a leaflet of hot products and new services"
        )
        return [greeting, tea, dedicated, "一張名片 a business card", leaflet]
    if tier == "gold":
        return [greeting, "一份宣傳材料 a leaflet of hot products"]
    return [greeting]


def route(tier: str | None, *, own_outlet: bool, has_manager: bool) -> str:
    """§9: own manager first; another outlet's Diamond → branch head; others → a manager.

    A customer of this outlet without an (active) manager is routed like a stranger:
    Diamond to the branch head (網點主任重點維護, §2), everyone else to an account manager.
    """
    if own_outlet and has_manager:
        return OWN_MANAGER
    return BRANCH_HEAD if tier == "diamond" else ACCOUNT_MANAGER
