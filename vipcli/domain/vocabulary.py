"""Codes of the spec's enumerations and the Chinese labels accepted for them.

English codes are what the database and JSON hold (SPEC §12, §15). Imports also
accept the Chinese labels, in simplified and traditional characters, and the
Chinese header aliases below. The labels shown to people are in vipcli.domain.labels.
"""

from __future__ import annotations

TIERS = ("diamond", "platinum", "gold")  # highest first

# §3: the customer said no (declined) or left (lost): no further follow-up, and a
# screening never changes the status.
CLOSED_STATUSES = ("declined", "lost")

# §7: an opportunity runs lead → contacted → needs_identified → proposal → won | lost.
OPPORTUNITY_STAGES = ("lead", "contacted", "needs_identified", "proposal", "won", "lost")
OPEN_OPPORTUNITY_STAGES = OPPORTUNITY_STAGES[:4]
CLOSED_OPPORTUNITY_STAGES = ("won", "lost")
# §8: the kinds of idea an opportunity may come from (conversion by kind, §7).
IDEA_KINDS = ("repeat", "cross", "up", "portfolio", "circle")

ROLES = (
    "branch_head",
    "account_manager",
    "advisor",
    "lobby_manager",
    "teller",
    "approver_l2",
    "approver_l1",
    "operator",
)

OCCUPATIONS = (
    "government_official",
    "civil_servant",
    "executive",
    "middle_manager",
    "private_entrepreneur",
    "expert",
    "celebrity",
    "homemaker",
    "other",
)
ORIENTATIONS = ("relationship", "value", "service")
CONTACT_CHANNELS = ("phone", "meeting", "sms", "email", "wechat")
TXN_CHANNELS = ("counter", "online", "mobile", "atm")
GENDERS = ("M", "F")
CALENDARS = ("solar", "lunar")
SOURCES = ("pcrm_screening", "lobby_lead", "activity", "referral", "handover", "department", "other")
# §2, §18: where a lead (銷售線索) comes from; walk_in is one recorded at the lobby or counter.
LEAD_SOURCES = ("walk_in", "referral", "activity", "department", "pcrm_screening", "other")
BRANCH_LEVELS = (1, 2, 3)
CROSS_SELL_KINDS = ("cross", "repeat", "up")
RISK_LEVEL_NAMES = {1: "conservative", 2: "cautious", 3: "balanced", 4: "growth", 5: "aggressive"}


# Chinese labels (traditional and simplified) → code, per enumeration.
ENUM_LABELS: dict[str, dict[str, str]] = {
    "tier": {
        "鑽石卡": "diamond", "钻石卡": "diamond", "鑽石": "diamond", "钻石": "diamond",
        "白金卡": "platinum", "白金": "platinum",
        "金卡": "gold",
        "普通客戶": "", "普通客户": "", "普通": "", "無": "", "无": "",
    },
    "role": {
        "網點負責人": "branch_head", "网点负责人": "branch_head", "網點主任": "branch_head",
        "网点主任": "branch_head",
        "個人客戶經理": "account_manager", "个人客户经理": "account_manager",
        "客戶經理": "account_manager", "客户经理": "account_manager",
        "財富顧問": "advisor", "财富顾问": "advisor", "理財顧問": "advisor", "理财顾问": "advisor",
        "大堂經理": "lobby_manager", "大堂经理": "lobby_manager",
        "柜員": "teller", "櫃員": "teller", "柜员": "teller",
        "二級分行有權審批人": "approver_l2", "二级分行有权审批人": "approver_l2",
        "二級分行審批人": "approver_l2", "二级分行审批人": "approver_l2",
        "一級分行有權審批人": "approver_l1", "一级分行有权审批人": "approver_l1",
        "一級分行審批人": "approver_l1", "一级分行审批人": "approver_l1",
        "操作員": "operator", "操作员": "operator",
    },
    "occupation": {
        "政府官員": "government_official", "政府官员": "government_official",
        "一般公務員": "civil_servant", "一般公务员": "civil_servant",
        "公務員": "civil_servant", "公务员": "civil_servant",
        "企業高管": "executive", "企业高管": "executive",
        "企業中層": "middle_manager", "企业中层": "middle_manager",
        "私營企業家": "private_entrepreneur", "私营企业家": "private_entrepreneur",
        "學者專家": "expert", "学者专家": "expert",
        "文藝體育明星": "celebrity", "文艺体育明星": "celebrity",
        "高收入家庭主婦": "homemaker", "高收入家庭主妇": "homemaker",
        "家庭主婦": "homemaker", "家庭主妇": "homemaker",
        "其他": "other",
    },
    "orientation": {
        "關係取向": "relationship", "关系取向": "relationship",
        "關系取向": "relationship", "关係取向": "relationship",
        "價值取向": "value", "价值取向": "value",
        "服務取向": "service", "服务取向": "service",
    },
    "channel": {
        "電話": "phone", "电话": "phone",
        "面見": "meeting", "面见": "meeting", "面談": "meeting", "面谈": "meeting",
        "上門": "meeting", "上门": "meeting",
        "短信": "sms", "郵件": "email", "邮件": "email", "微信": "wechat",
    },
    "txn_channel": {
        "柜面": "counter", "櫃面": "counter", "柜台": "counter", "櫃檯": "counter",
        "網銀": "online", "网银": "online", "網上銀行": "online", "网上银行": "online",
        "手機銀行": "mobile", "手机银行": "mobile",
        "自助設備": "atm", "自助设备": "atm", "ATM": "atm",
    },
    "gender": {"男": "M", "女": "F", "m": "M", "f": "F"},
    "calendar": {"公曆": "solar", "公历": "solar", "陽曆": "solar", "阳历": "solar",
                 "農曆": "lunar", "农历": "lunar", "陰曆": "lunar", "阴历": "lunar"},
    "source": {
        "PCRM篩選": "pcrm_screening", "PCRM筛选": "pcrm_screening",
        "大堂線索": "lobby_lead", "大堂线索": "lobby_lead",
        "營銷活動": "activity", "营销活动": "activity",
        "轉介紹": "referral", "转介绍": "referral",
        "交接": "handover", "其他部門": "department", "其他部门": "department",
        "其他": "other",
    },
    "severity": {"一般": "normal", "普通": "normal", "嚴重": "serious", "严重": "serious"},
    "lead_source": {
        "到店": "walk_in", "進店": "walk_in", "进店": "walk_in", "到店客戶": "walk_in",
        "到店客户": "walk_in", "大堂線索": "walk_in", "大堂线索": "walk_in", "lobby_lead": "walk_in",
        "轉介紹": "referral", "转介绍": "referral", "營銷活動": "activity", "营销活动": "activity",
        "其他部門": "department", "其他部门": "department",
        "PCRM篩選": "pcrm_screening", "PCRM筛选": "pcrm_screening", "其他": "other",
    },
    "active": {"是": "true", "否": "false", "在職": "true", "在职": "true",
               "離職": "false", "离职": "false"},
    "level": {"一級分行": "1", "一级分行": "1", "二級分行": "2", "二级分行": "2",
              "網點": "3", "网点": "3", "支行": "3"},
    "boolean": {"是": "true", "否": "false", "在職": "true", "在职": "true",
                "離職": "false", "离职": "false", "yes": "true", "no": "false",
                "y": "true", "n": "false", "1": "true", "0": "false"},
    "kind": {"交叉營銷": "cross", "交叉营销": "cross", "重複營銷": "repeat",
             "重复营销": "repeat", "向上營銷": "up", "向上营销": "up"},
}

# Header aliases per import kind: Chinese header (either script) → column.
HEADER_ALIASES: dict[str, str] = {
    "網點號": "branch_id", "网点号": "branch_id", "機構號": "branch_id", "机构号": "branch_id",
    "名稱": "name", "名称": "name", "姓名": "name", "產品名稱": "name", "产品名称": "name",
    "上級機構": "parent_id", "上级机构": "parent_id", "層級": "level", "层级": "level",
    "員工號": "staff_id", "员工号": "staff_id", "工號": "staff_id", "工号": "staff_id",
    "角色": "role", "崗位": "role", "岗位": "role", "能力係數": "capacity", "能力系数": "capacity",
    "在職": "active", "在职": "active",
    "操作系统账号": "os_user", "操作系統賬號": "os_user", "系统账号": "os_user", "系統賬號": "os_user",
    "客戶號": "customer_id", "客户号": "customer_id", "性別": "gender", "性别": "gender",
    "出生日期": "birth_date", "生日曆法": "birthday_calendar", "生日历法": "birthday_calendar",
    "手機號": "phone", "手机号": "phone", "電話": "phone", "电话": "phone",
    "證件號": "id_number", "证件号": "id_number", "身份證號": "id_number", "身份证号": "id_number",
    "職業": "occupation", "职业": "occupation", "取向": "orientation",
    "取向特徵": "orientation", "取向特征": "orientation",
    "偏好渠道": "preferred_channel", "卡級": "tier", "卡级": "tier",
    "簽約日期": "tier_since", "签约日期": "tier_since",
    "客戶經理": "manager_id", "客户经理": "manager_id", "來源": "source", "来源": "source",
    "月份": "month", "日均金融資產": "avg_daily_assets", "日均金融资产": "avg_daily_assets",
    "產品代碼": "product_code", "产品代码": "product_code", "類別": "category", "类别": "category",
    "風險等級": "risk_rating", "风险等级": "risk_rating", "系列": "series", "級別": "level",
    "级别": "level", "發行日期": "launched_on", "发行日期": "launched_on",
    "持有產品": "held", "持有产品": "held", "推薦產品": "recommend", "推荐产品": "recommend",
    "營銷方式": "kind", "营销方式": "kind",
    "金額": "amount", "金额": "amount", "起始日": "start_date", "起息日": "start_date",
    "到期日": "maturity_date", "交易號": "txn_id", "交易号": "txn_id",
    "交易流水號": "txn_id", "交易流水号": "txn_id",
    "日期": "date", "交易日期": "date", "渠道": "channel", "交易渠道": "channel",
    # Imports (§12): further spellings seen in outlet extracts.
    "機構名稱": "name", "机构名称": "name", "上級機構號": "parent_id", "上级机构号": "parent_id",
    "所屬機構": "branch_id", "所属机构": "branch_id", "網點": "branch_id", "网点": "branch_id",
    "員工姓名": "name", "员工姓名": "name", "客戶姓名": "name", "客户姓名": "name",
    "生日": "birth_date", "身份證": "id_number", "身份证": "id_number",
    "偏好聯繫渠道": "preferred_channel", "偏好联系渠道": "preferred_channel",
    "簽約卡級": "tier", "签约卡级": "tier", "客戶經理號": "manager_id", "客户经理号": "manager_id",
    "客戶來源": "source", "客户来源": "source", "資產月份": "month", "资产月份": "month",
    "月日均資產": "avg_daily_assets", "月日均资产": "avg_daily_assets",
    "產品類別": "category", "产品类别": "category", "產品系列": "series", "产品系列": "series",
    "產品級別": "level", "产品级别": "level", "產品風險等級": "risk_rating",
    "产品风险等级": "risk_rating", "上市日期": "launched_on",
    "持有金額": "amount", "持有金额": "amount", "交易金額": "amount", "交易金额": "amount",
    "購買日期": "start_date", "购买日期": "start_date",
    # Issue 15 (§12): prices, loans, card statements; the units of a holding.
    "份額": "units", "份额": "units", "持有份額": "units", "持有份额": "units",
    "yield_pct": "yield", "淨值日期": "date", "净值日期": "date", "淨值": "nav", "净值": "nav",
    "單位淨值": "nav", "单位净值": "nav", "收益率": "yield", "年化收益率": "yield",
    "七日年化": "yield", "七日年化收益率": "yield", "分紅": "dividend", "分红": "dividend",
    "每份分紅": "dividend", "每份分红": "dividend",
    "貸款號": "loan_id", "贷款号": "loan_id", "借據號": "loan_id", "借据号": "loan_id",
    "產品": "product", "产品": "product", "貸款產品": "product", "贷款产品": "product",
    "本金": "principal", "貸款本金": "principal", "贷款本金": "principal",
    "餘額": "balance", "余额": "balance", "貸款餘額": "balance", "贷款余额": "balance",
    "還款日": "due_date", "还款日": "due_date", "到期還款日": "due_date", "到期还款日": "due_date",
    "逾期天數": "overdue_days", "逾期天数": "overdue_days",
    "逾期金額": "overdue_amount", "逾期金额": "overdue_amount",
    "卡號": "card_no", "卡号": "card_no", "信用卡號": "card_no", "信用卡号": "card_no",
    "賬單日": "statement_date", "帳單日": "statement_date", "账单日": "statement_date",
    "賬單日期": "statement_date", "帳單日期": "statement_date", "账单日期": "statement_date",
    "應還金額": "amount_due", "应还金额": "amount_due", "本期應還": "amount_due", "本期应还": "amount_due",
    "最低還款": "min_due", "最低还款": "min_due", "最低還款額": "min_due", "最低还款额": "min_due",
    "已還金額": "paid", "已还金额": "paid", "已還": "paid", "已还": "paid",
    # §18 leads.
    "線索號": "lead_id", "线索号": "lead_id", "線索編號": "lead_id", "线索编号": "lead_id",
    "錄入人": "recorded_by", "录入人": "recorded_by", "登記人": "recorded_by", "登记人": "recorded_by",
    "備註": "note", "备注": "note", "預估資產": "est_assets", "预估资产": "est_assets",
    "線索來源": "source", "线索来源": "source",
}


def tier_rank(tier: str | None) -> int:
    """diamond 3, platinum 2, gold 1, none 0 — for comparing tiers."""
    return {"diamond": 3, "platinum": 2, "gold": 1}.get(tier or "", 0)
