"""One wording per concept (SPEC §16): the name people read for every code vip stores.

The database and JSON keep the codes (§15); every screen, report and export shows the
label in the active language, and only through these functions, so a tier reads 钻石卡
in every command. The Chinese words are those of the handbook in Simplified characters
(tiers 钻石卡 / 白金卡 / 金卡 / 普通客户; the roles of §16). What an import accepts in
either script lives in vipcli.domain.vocabulary.ENUM_LABELS.
"""

from __future__ import annotations

from vipcli.i18n import N_, _

TIER = {"diamond": N_("Diamond"), "platinum": N_("Platinum"), "gold": N_("Gold")}
NO_TIER = N_("Regular")  # 普通客户: no VIP tier

ROLE = {
    "branch_head": N_("Branch head"),
    "account_manager": N_("Account manager"),
    "advisor": N_("Wealth advisor"),
    "lobby_manager": N_("Lobby manager"),
    "teller": N_("Teller"),
    "approver_l1": N_("First-level branch approver"),
    "approver_l2": N_("Second-level branch approver"),
    "operator": N_("Operator"),
}
# §2: the two seats a customer's book has.
SEAT = {"primary": N_("Account manager"), "advisor": N_("Wealth advisor")}

OCCUPATION = {
    "government_official": N_("Government official"),
    "civil_servant": N_("Civil servant"),
    "executive": N_("Senior executive"),
    "middle_manager": N_("Middle manager"),
    "private_entrepreneur": N_("Private entrepreneur"),
    "expert": N_("Scholar or expert"),
    "celebrity": N_("Arts or sports star"),
    "homemaker": N_("High-income homemaker"),
    "other": N_("Other"),
}
ORIENTATION = {
    "relationship": N_("Relationship-oriented"),
    "value": N_("Value-oriented"),
    "service": N_("Service-oriented"),
}
# §4: what looking after a customer of each orientation means.
MAINTENANCE = {
    "relationship": N_("personal care and attention"),
    "value": N_("after-sales follow-up and wealth diagnosis"),
    "service": N_("after-sales follow-up and client activities"),
}
CHANNEL = {
    "phone": N_("Phone"),
    "meeting": N_("Meeting"),
    "sms": N_("SMS"),
    "email": N_("E-mail"),
    "wechat": N_("WeChat"),
    "counter": N_("Counter"),
    "online": N_("Online banking"),
    "mobile": N_("Mobile banking"),
    "atm": N_("Self-service machine"),
}
STAGE = {
    "lead": N_("Lead"),
    "contacted": N_("Contacted"),
    "needs_identified": N_("Needs identified"),
    "proposal": N_("Proposal made"),
    "won": N_("Won"),
    "lost": N_("Lost sale"),
}
IDEA_KIND = {
    "repeat": N_("Repeat sale"),
    "cross": N_("Cross-sell"),
    "up": N_("Up-sell"),
    "portfolio": N_("Portfolio"),
    "circle": N_("Circle marketing"),
}
REASON = {
    "cadence": N_("Regular contact"),
    "quarterly": N_("Quarterly contact"),
    "gold_no_visit": N_("Gold customer not seen for a week"),
    "birthday": N_("Birthday"),
    "anniversary": N_("Anniversary"),
    "holiday": N_("Holiday greeting"),
    "maturity": N_("Product maturing"),
    "large_outflow": N_("Large outflow"),
    "asset_drop": N_("Assets dropped"),
    "downgrade_risk": N_("Downgrade risk"),
    "risk_assessment": N_("Risk assessment due"),
    "first_contact": N_("First contact"),
    "opportunity_followup": N_("Opportunity follow-up"),
    "report_followup": N_("Report follow-up"),
    "activity": N_("Client activity"),
    "card_repayment": N_("Card repayment"),
    "loan_due": N_("Loan due"),
    "loan_overdue": N_("Loan overdue"),
    "nav_move": N_("Fund value move"),
    "stop_profit": N_("Take-profit"),
    "stop_loss": N_("Stop-loss"),
    "dividend": N_("Dividend"),
    "yield_change": N_("Yield change"),
    "new_product": N_("New product"),
    "complaint": N_("Complaint"),
    "appointment": N_("Appointment"),
    "loss_risk": N_("Risk of loss"),
    "special_period": N_("Special period"),
}
RISK_LEVEL = {
    1: N_("Conservative"),
    2: N_("Cautious"),
    3: N_("Balanced"),
    4: N_("Growth"),
    5: N_("Aggressive"),
}
STATUS = {
    "prospect": N_("Prospect"),
    "potential": N_("Potential VIP"),
    "signed": N_("Signed"),
    "declined": N_("Declined"),
    "lost": N_("Lost"),
    "pending": N_("Pending"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
}
SOURCE = {
    "pcrm_screening": N_("PCRM screening"),
    "lobby_lead": N_("Lobby lead"),
    "activity": N_("Marketing activity"),
    "referral": N_("Referral"),
    "handover": N_("Handover"),
    "department": N_("Other department"),
    "other": N_("Other"),
}
# §2, §18: where a lead comes from (vocabulary.LEAD_SOURCES).
LEAD_SOURCE = {
    "walk_in": N_("Walk-in"),
    "referral": N_("Referral"),
    "activity": N_("Marketing activity"),
    "department": N_("Other department"),
    "pcrm_screening": N_("PCRM screening"),
    "other": N_("Other"),
}
GENDER = {"M": N_("Male"), "F": N_("Female")}
# §10: the kinds of client activity.
ACTIVITY_KIND = {
    "salon": N_("Investment salon"),
    "banquet": N_("Banquet"),
    "trip": N_("Short trip"),
    "lecture": N_("Finance lecture"),
    "outlook": N_("Market outlook"),
}
# §11: the kinds of journal entry.
JOURNAL_KIND = {
    "meeting": N_("Morning meeting"),
    "visit": N_("Visit"),
    "sale": N_("Sale"),
    "suggestion": N_("Suggestion"),
    "memo": N_("Memo"),
}
# §18: a complaint's severity and status.
COMPLAINT_SEVERITY = {"normal": N_("Normal"), "serious": N_("Serious")}
COMPLAINT_STATUS = {"open": N_("Unresolved"), "resolved": N_("Resolved")}

# §18: the categories a wealth diagnosis compares (rules.diagnosis).
DIAGNOSIS_CATEGORY = {
    "deposit": N_("Deposits"),
    "wealth": N_("Wealth products"),
    "fund": N_("Funds"),
    "insurance": N_("Insurance"),
    "precious_metal": N_("Precious metals"),
    "other": N_("Other"),
}


def _label(table: dict[str, str], code: str | None) -> str:
    """The label of a code in the active language; an unknown code is shown as it is."""
    if code is None or code == "":
        return "—"
    return _(table[code]) if code in table else code


def tier(code: str | None) -> str:
    """钻石卡 / 白金卡 / 金卡, or 普通客户 for no tier."""
    return _(TIER[code]) if code in TIER else _(NO_TIER)


def role(code: str | None) -> str:
    return _label(ROLE, code)


def seat(code: str | None) -> str:
    return _label(SEAT, code)


def occupation(code: str | None) -> str:
    return _label(OCCUPATION, code)


def orientation(code: str | None) -> str:
    return _label(ORIENTATION, code)


def maintenance(code: str | None) -> str:
    return _label(MAINTENANCE, code)


def channel(code: str | None) -> str:
    return _label(CHANNEL, code)


def stage(code: str | None) -> str:
    return _label(STAGE, code)


def idea_kind(code: str | None) -> str:
    return _label(IDEA_KIND, code)


def reason(code: str | None) -> str:
    return _label(REASON, code)


def status(code: str | None) -> str:
    return _label(STATUS, code)


def source(code: str | None) -> str:
    return _label(SOURCE, code)


def lead_source(code: str | None) -> str:
    return _label(LEAD_SOURCE, code)


def gender(code: str | None) -> str:
    return _label(GENDER, code)


def activity_kind(code: str | None) -> str:
    return _label(ACTIVITY_KIND, code)


def journal_kind(code: str | None) -> str:
    return _label(JOURNAL_KIND, code)


# §18: the fields of the customer file `vip customer edit` changes.
CUSTOMER_FIELD = {
    "orientation": N_("Orientation"),
    "preferred_channel": N_("Preferred channel"),
    "interests": N_("Interests"),
    "anniversaries": N_("Anniversaries"),
    "special_period": N_("Special period"),
    "special_until": N_("Special period until"),
    "notes": N_("Notes"),
}


def customer_field(code: str | None) -> str:
    return _label(CUSTOMER_FIELD, code)


def complaint_severity(code: str | None) -> str:
    return _label(COMPLAINT_SEVERITY, code)


def complaint_status(code: str | None) -> str:
    return _label(COMPLAINT_STATUS, code)


def diagnosis_category(code: str | None) -> str:
    return _label(DIAGNOSIS_CATEGORY, code)


# The products file's categories (§12) that are not a diagnosis category (§18).
PRODUCT_CATEGORY = {
    **DIAGNOSIS_CATEGORY,
    "bond": N_("Bonds"),
    "card": N_("Cards"),
    "e_banking": N_("E-banking"),
    "loan": N_("Loans"),
    "service": N_("Services"),
}


def product_category(code: str | None) -> str:
    """A product's category as people say it (存款, 贷款 …); an outlet's own code as it is."""
    return _label(PRODUCT_CATEGORY, code)


def risk_level(level: int | None) -> str:
    """`3 稳健型`: the level's number beside its name."""
    if level is None:
        return "—"
    return f"{level} {_(RISK_LEVEL[level])}" if level in RISK_LEVEL else str(level)


def named(name: str | None, code: str | None) -> str:
    """A person or product by name beside its id or code: `王芳 S002`, `稳盈宝 P001`."""
    if not code:
        return name or "—"
    return f"{name} {code}" if name else code
