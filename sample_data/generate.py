#!/usr/bin/env python3
"""Deterministic synthetic data for `vip`: the bundled sample outlet and the big benchmark set.

Usage::

    python sample_data/generate.py                      # rewrite the bundled sample in sample_data/
    python sample_data/generate.py --customers 1000000 --out /tmp/big --contacts-per-customer 10

Standard library only (plus openpyxl for ``products.xlsx``); nothing is imported from
``vipcli``. Rows are streamed to the files customer by customer, so memory stays constant
whatever ``--customers`` is. The same arguments always give byte-identical files.

The data's "today" (reference date) is the 27th of the month after ``--end-month``
(2026-11-27 for the defaults). A fixed set of *special* customers (see ``SPECIALS``)
exercises the edge cases of the rules: exactly-on-threshold assets, missing months,
month-over-month drops, large outflows, birthdays around the reference date, maturities,
Gold customers with and without recent counter business, and so on.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import io
import math
import random
import re
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

DEFAULT_CUSTOMERS = 2500
DEFAULT_SEED = 20261127
DEFAULT_MONTHS = 14
DEFAULT_END_MONTH = "2026-10"
DEFAULT_CONTACTS_PER_CUSTOMER = 3
CUSTOMERS_PER_OUTLET = 2500

HEADERS: dict[str, list[str]] = {
    "branches": ["branch_id", "name", "parent_id", "level"],
    "staff": ["staff_id", "name", "role", "branch_id", "capacity", "active"],
    "customers": [
        "customer_id",
        "name",
        "gender",
        "birth_date",
        "birthday_calendar",
        "phone",
        "id_number",
        "occupation",
        "orientation",
        "preferred_channel",
        "branch_id",
        "tier",
        "tier_since",
        "manager_id",
        "source",
    ],
    "monthly_assets": ["customer_id", "month", "avg_daily_assets"],
    "products": [
        "product_code",
        "name",
        "category",
        "risk_rating",
        "series",
        "level",
        "launched_on",
    ],
    "cross_sell": ["held", "recommend", "kind"],
    "holdings": ["customer_id", "product_code", "amount", "start_date", "maturity_date"],
    "transactions": ["txn_id", "customer_id", "date", "amount", "channel"],
    "contacts": [
        "contact_id",
        "customer_id",
        "staff_id",
        "contacted_at",
        "channel",
        "purpose",
        "summary",
    ],
    "risk_assessments": ["customer_id", "level", "assessed_on"],
    "anniversaries": ["customer_id", "label", "date"],
}
GBK_HEADER = [
    "客戶號",
    "姓名",
    "性別",
    "出生日期",
    "生日曆法",
    "手機號",
    "證件號",
    "職業",
    "取向",
    "偏好渠道",
    "網點號",
    "卡級",
    "簽約日期",
    "客戶經理",
    "來源",
]
GBK_ROWS = 20

# --------------------------------------------------------------------------------------
# Products and the cross-sell table (handbook: 交叉銷售產品匹配表, 重複營銷示例, 向上營銷示例)
# --------------------------------------------------------------------------------------

# code, name, category, risk_rating, series, level, launched_on ("NEW1"/"NEW2" = recent)
PRODUCTS: list[tuple[str, str, str, str, str, int, str]] = [
    ("P_HQCK", "活期存款", "deposit", "", "deposit", 1, "2000-01-01"),
    ("P_DQCK", "定期存款", "deposit", "", "deposit", 2, "2000-01-01"),
    ("P_DECD", "大額存單", "deposit", "", "deposit", 3, "2015-06-15"),
    ("P_SLF", "雙利豐", "deposit", "", "deposit", 2, "2009-03-01"),
    ("P_BLF", "本利豐", "wealth", "PR1", "wealth", 1, "2008-05-20"),
    ("P_LC2", "理財產品(穩健型)", "wealth", "PR2", "wealth", 2, "2012-04-01"),
    ("P_LC3", "理財產品(平衡型)", "wealth", "PR3", "wealth", 3, "2013-09-01"),
    ("P_LC4", "理財產品(進取型)", "wealth", "PR4", "wealth", 4, "2016-03-01"),
    ("P_LC5", "理財產品(激進型)", "wealth", "PR5", "wealth", 5, "2019-07-01"),
    ("P_TTL", "本利豐·天天利", "wealth", "PR2", "wealth", 2, "NEW1"),
    ("P_HBJJ", "貨幣型基金", "fund", "PR1", "fund", 1, "2006-01-01"),
    ("P_JJB", "基金寶", "fund", "PR3", "fund", 2, "2007-08-01"),
    ("P_JJDT", "基金定投", "fund", "PR3", "fund", 2, "2006-01-01"),
    ("P_GPJJ", "股票型基金", "fund", "PR4", "fund", 3, "2006-01-01"),
    ("P_YLJJ", "養老目標基金", "fund", "PR3", "fund", 2, "NEW2"),
    ("P_FHBX", "分紅型保險", "insurance", "PR2", "insurance", 1, "2005-01-01"),
    ("P_GZ", "國債", "bond", "PR1", "bond", 1, "2000-01-01"),
    ("P_HJ", "黃金", "precious_metal", "PR3", "gold", 1, "2008-01-01"),
    ("P_CSZB", "傳世之寶", "precious_metal", "PR2", "gold", 2, "2009-01-01"),
    ("P_PTXYK", "普通貸記卡", "card", "", "credit_card", 1, "2003-01-01"),
    ("P_JKXYK", "金卡貸記卡", "card", "", "credit_card", 2, "2003-01-01"),
    ("P_BJXYK", "白金貸記卡", "card", "", "credit_card", 3, "2006-01-01"),
    ("P_AJDK", "普通按揭貸款", "loan", "", "mortgage", 1, "2000-01-01"),
    ("P_QQD", "氣球貸", "loan", "", "mortgage", 2, "2008-06-01"),
    ("P_CDSY", "存貸雙贏", "loan", "", "mortgage", 2, "2008-06-01"),
    ("P_QCDK", "汽車貸款", "loan", "", "consumer_loan", 1, "2004-01-01"),
    ("P_CDZY", "存單質押貸款", "loan", "", "consumer_loan", 1, "2004-01-01"),
    ("P_WSYH", "網上銀行", "e_banking", "", "e_banking", 1, "2002-01-01"),
    ("P_SJYH", "手機銀行", "e_banking", "", "e_banking", 2, "2010-01-01"),
    ("P_DXTZ", "短信通知", "service", "", "message", 1, "2005-01-01"),
]

CROSS_SELL: list[tuple[str, str, str]] = [
    # 白金貸記卡 → 網上銀行, 消息服務, 基金定投, 債券
    ("P_BJXYK", "P_WSYH", "cross"),
    ("P_BJXYK", "P_DXTZ", "cross"),
    ("P_BJXYK", "P_JJDT", "cross"),
    ("P_BJXYK", "P_GZ", "cross"),
    # 傳世之寶 → (貴賓卡) 網銀, 手機銀行, 短信通知, 保險, 貸記卡, 其他理財產品, 基金
    ("P_CSZB", "P_WSYH", "cross"),
    ("P_CSZB", "P_SJYH", "cross"),
    ("P_CSZB", "P_DXTZ", "cross"),
    ("P_CSZB", "P_FHBX", "cross"),
    ("P_CSZB", "P_JKXYK", "cross"),
    ("P_CSZB", "P_LC2", "cross"),
    ("P_CSZB", "P_JJB", "cross"),
    # 存貸雙贏 → 消息服務, 手機銀行, 信用卡, 保險產品, 基金, 理財產品, 網上銀行
    ("P_CDSY", "P_DXTZ", "cross"),
    ("P_CDSY", "P_SJYH", "cross"),
    ("P_CDSY", "P_JKXYK", "cross"),
    ("P_CDSY", "P_FHBX", "cross"),
    ("P_CDSY", "P_JJB", "cross"),
    ("P_CDSY", "P_LC2", "cross"),
    ("P_CDSY", "P_WSYH", "cross"),
    # 網上銀行 → 消息服務, 傳世之寶, 國債, 信用卡, 基金
    ("P_WSYH", "P_DXTZ", "cross"),
    ("P_WSYH", "P_CSZB", "cross"),
    ("P_WSYH", "P_GZ", "cross"),
    ("P_WSYH", "P_JKXYK", "cross"),
    ("P_WSYH", "P_JJB", "cross"),
    # 基金寶 → 網上銀行, 消息服務, 信用卡, 貨幣型基金
    ("P_JJB", "P_WSYH", "cross"),
    ("P_JJB", "P_DXTZ", "cross"),
    ("P_JJB", "P_JKXYK", "cross"),
    ("P_JJB", "P_HBJJ", "cross"),
    # 氣球貸 → 網上銀行, 手機銀行, 消息服務, 保險
    ("P_QQD", "P_WSYH", "cross"),
    ("P_QQD", "P_SJYH", "cross"),
    ("P_QQD", "P_DXTZ", "cross"),
    ("P_QQD", "P_FHBX", "cross"),
    # 雙利豐 → 網上銀行, 手機銀行, 消息服務, 傳世之寶, 理財產品
    ("P_SLF", "P_WSYH", "cross"),
    ("P_SLF", "P_SJYH", "cross"),
    ("P_SLF", "P_DXTZ", "cross"),
    ("P_SLF", "P_CSZB", "cross"),
    ("P_SLF", "P_BLF", "cross"),
    # 重複營銷示例: 存款 → 理財產品 / 儲蓄類理財產品
    ("deposit", "P_BLF", "repeat"),
    ("deposit", "P_LC2", "repeat"),
    ("P_DQCK", "P_DECD", "repeat"),
    # 房貸 → 氣球貸 / 存貸雙贏 (see up rows) / 汽車貸款 / 存單質押貸款
    ("P_AJDK", "P_QCDK", "repeat"),
    ("P_AJDK", "P_CDZY", "repeat"),
    ("P_QQD", "P_CDSY", "repeat"),
    ("P_CDSY", "P_QQD", "repeat"),
    # 基金(分紅) → 同類型理財產品 / 同風險等級的其它投資產品
    ("fund", "P_LC3", "repeat"),
    ("fund", "P_JJDT", "repeat"),
    ("wealth", "P_LC2", "repeat"),
    ("P_BLF", "P_TTL", "repeat"),
    # 黃金 → 分紅型保險 / 傳世之寶
    ("P_HJ", "P_FHBX", "repeat"),
    ("P_HJ", "P_CSZB", "repeat"),
    # 向上營銷: 普通貸記卡 → 金卡 → 白金; 普通按揭 → 氣球貸 / 存貸雙贏
    ("P_PTXYK", "P_JKXYK", "up"),
    ("P_JKXYK", "P_BJXYK", "up"),
    ("P_AJDK", "P_QQD", "up"),
    ("P_AJDK", "P_CDSY", "up"),
    # 存款客戶 → 大額存款 (up the deposit series)
    ("P_HQCK", "P_DQCK", "up"),
]

# Maturity terms in days (None = open-ended) per product.
TERMS: dict[str, tuple[int, ...] | None] = {
    "P_DQCK": (182, 365, 730, 1095),
    "P_DECD": (365, 1095),
    "P_SLF": (182, 365),
    "P_BLF": (63, 91, 182),
    "P_LC2": (182, 365),
    "P_LC3": (182, 365),
    "P_LC4": (365, 730),
    "P_LC5": (365, 730),
    "P_TTL": (30,),
    "P_GZ": (1095, 1825),
    "P_FHBX": (1825, 3650),
    "P_AJDK": (7300, 10950),
    "P_QQD": (3650, 7300),
    "P_CDSY": (3650, 7300),
    "P_QCDK": (1095, 1825),
    "P_CDZY": (365, 730),
}

# Holding pools by asset band (products a customer of that band may hold).
POOL_LOW = ["P_HQCK", "P_HQCK", "P_DQCK", "P_HBJJ", "P_WSYH", "P_SJYH", "P_PTXYK", "P_DXTZ"]
POOL_GOLD = [
    "P_HQCK",
    "P_DQCK",
    "P_DQCK",
    "P_BLF",
    "P_LC2",
    "P_HBJJ",
    "P_JJB",
    "P_JJDT",
    "P_GZ",
    "P_WSYH",
    "P_SJYH",
    "P_DXTZ",
    "P_PTXYK",
    "P_JKXYK",
    "P_AJDK",
    "P_SLF",
    "P_HJ",
    "P_FHBX",
    "P_QCDK",
]
POOL_HIGH = [
    "P_HQCK",
    "P_DQCK",
    "P_DECD",
    "P_DECD",
    "P_BLF",
    "P_LC2",
    "P_LC3",
    "P_LC4",
    "P_LC5",
    "P_GPJJ",
    "P_JJB",
    "P_JJDT",
    "P_GZ",
    "P_FHBX",
    "P_CSZB",
    "P_HJ",
    "P_BJXYK",
    "P_JKXYK",
    "P_QQD",
    "P_CDSY",
    "P_AJDK",
    "P_WSYH",
    "P_SJYH",
    "P_DXTZ",
    "P_CDZY",
]
# The first holding of each customer is an asset product from these.
CORE_LOW = ["P_HQCK", "P_HQCK", "P_DQCK"]
CORE_GOLD = ["P_HQCK", "P_DQCK", "P_BLF", "P_LC2", "P_SLF"]
CORE_HIGH = ["P_DQCK", "P_DECD", "P_LC2", "P_LC3", "P_HQCK", "P_BLF"]
CATEGORY = {p[0]: p[2] for p in PRODUCTS}

# --------------------------------------------------------------------------------------
# Names, places, vocabularies
# --------------------------------------------------------------------------------------

SURNAMES = (
    "王16 李15 张14 刘10 陈10 杨6 黄7 赵4 吴4 周4 徐3 孙3 马3 朱3 胡3 郭3 何3 高2 林4 罗3 "
    "郑2 梁3 谢2 宋2 唐2 许2 韩2 冯2 邓3 曹2 彭2 曾2 肖2 田1 董1 袁1 潘2 于1 蒋1 蔡2 余1 杜1 "
    "叶1 程1 苏1 魏1 吕1 丁1 任1 沈1 姚1 卢2 姜1 崔1 钟2 谭2 陆2 汪1 范1 金1 石1 廖2 贾1 夏1 "
    "韦5 覃4 莫3 黎2 蒙2 农1 陆1 甘1 付1 方1 白1 邹1 孟1 熊1 秦1 邱1 江1 尹1 薛1 段1 雷1 侯1 "
    "龙1 史1 陶1 贺1 顾1 毛1 郝1 龚1 邵1 万1 钱1 严1 武1 戴1 孔1 向1 汤1"
)
COMPOUND_SURNAMES = ["欧阳", "歐陽", "司马", "诸葛", "上官", "司徒"]
MALE_CHARS = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国志海东文新利清振毅"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲桂英燕萍红梅琳雪慧倩婷颖洁兰凤莉琴云菲蓉月晶佳欣怡丹璐瑶妍"
AREA_CODES = [
    "450102",
    "450103",
    "450105",
    "450107",
    "450108",
    "450109",
    "450122",
    "450202",
    "450203",
    "450302",
    "450305",
    "450521",
    "450602",
    "450702",
    "450802",
    "450902",
]
CITIES = [
    "南寧",
    "柳州",
    "桂林",
    "梧州",
    "北海",
    "玉林",
    "百色",
    "欽州",
    "河池",
    "賀州",
    "來賓",
    "崇左",
    "防城港",
    "貴港",
]
OUTLET_NAMES = [
    "民族支行",
    "青秀支行",
    "江南支行",
    "西鄉塘支行",
    "興寧支行",
    "良慶支行",
    "邕寧支行",
    "武鳴支行",
    "朝陽支行",
    "友愛支行",
    "東葛支行",
    "園湖支行",
    "金湖支行",
    "鳳嶺支行",
    "南湖支行",
    "星光支行",
    "大學路支行",
    "北湖支行",
    "明秀支行",
    "白沙支行",
]

OCCUPATION_W = {
    "government_official": 3,
    "civil_servant": 10,
    "executive": 10,
    "middle_manager": 15,
    "private_entrepreneur": 17,
    "expert": 6,
    "celebrity": 1,
    "homemaker": 7,
    "other": 31,
}
OCCUPATION_RICH_W = {
    "government_official": 4,
    "executive": 25,
    "private_entrepreneur": 40,
    "expert": 8,
    "celebrity": 3,
    "homemaker": 12,
    "other": 8,
}
ORIENTATION_W = {"relationship": 40, "value": 35, "service": 25}
PREF_CHANNEL_W = {"phone": 45, "wechat": 35, "meeting": 8, "sms": 8, "email": 4}
SOURCE_W = {
    "pcrm_screening": 44,
    "lobby_lead": 15,
    "activity": 10,
    "referral": 11,
    "handover": 8,
    "other": 12,
}
CONTACT_CHANNEL_W = {"phone": 45, "meeting": 12, "wechat": 25, "sms": 12, "email": 6}
TXN_CHANNEL_W = {"counter": 30, "online": 20, "mobile": 40, "atm": 10}
RISK_LEVEL_W = {"1": 10, "2": 25, "3": 35, "4": 20, "5": 10}
CONTACT_TEXTS = [
    ("日常維護", "電話問候，客戶近況良好"),
    ("產品到期提醒", "提醒產品即將到期，客戶考慮續作"),
    ("理財產品推介", "介紹新發行理財產品，客戶表示有興趣"),
    ("資產配置建議", "面談討論資產配置，建議適當分散投資"),
    ("售後跟蹤", "跟進已購產品收益情況，客戶滿意"),
    ("活動邀約", "邀請參加投資沙龍，客戶答應出席"),
    ("生日問候", "發送生日祝福"),
    ("節日問候", "節日短信問候"),
    ("風險測評預約", "預約重新做風險測評"),
    ("財富診斷", "回顧產品組合，提出調整建議"),
]
ANNIVERSARY_LABELS = ["結婚紀念日", "開戶紀念日", "成為貴賓客戶紀念日", "公司成立紀念日"]

# Chinese labels for the GBK file: (traditional, simplified).
GBK_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "gender": {"M": ("男", "男"), "F": ("女", "女")},
    "birthday_calendar": {"solar": ("公曆", "公历"), "lunar": ("農曆", "农历")},
    "occupation": {
        "government_official": ("政府官員", "政府官员"),
        "civil_servant": ("一般公務員", "一般公务员"),
        "executive": ("企業高管", "企业高管"),
        "middle_manager": ("企業中層", "企业中层"),
        "private_entrepreneur": ("私營企業家", "私营企业家"),
        "expert": ("學者專家", "学者专家"),
        "celebrity": ("文藝體育明星", "文艺体育明星"),
        "homemaker": ("高收入家庭主婦", "高收入家庭主妇"),
        "other": ("其他", "其他"),
    },
    "orientation": {
        "relationship": ("關係取向", "关系取向"),
        "value": ("價值取向", "价值取向"),
        "service": ("服務取向", "服务取向"),
    },
    "preferred_channel": {
        "phone": ("電話", "电话"),
        "meeting": ("面見", "面见"),
        "sms": ("短信", "短信"),
        "email": ("郵件", "邮件"),
        "wechat": ("微信", "微信"),
    },
    "tier": {
        "diamond": ("鑽石卡", "钻石卡"),
        "platinum": ("白金卡", "白金卡"),
        "gold": ("金卡", "金卡"),
        "": ("", ""),
    },
    "source": {
        "pcrm_screening": ("PCRM篩選", "PCRM筛选"),
        "lobby_lead": ("大堂線索", "大堂线索"),
        "activity": ("營銷活動", "营销活动"),
        "referral": ("轉介紹", "转介绍"),
        "handover": ("交接", "交接"),
        "other": ("其他", "其他"),
    },
}

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

FEN_GOLD = 100_000_00
FEN_PLATINUM = 1_000_000_00
FEN_DIAMOND = 5_000_000_00

# --------------------------------------------------------------------------------------
# Special customers: fixed edge cases at fixed positions (index = 3 + 7 * k, 1-based).
# Dates given as offsets are relative to the reference date ("today").
# --------------------------------------------------------------------------------------

SPECIALS: list[tuple[str, dict]] = [
    ("threshold_gold", {"flat": 100_000_00, "tier": "gold"}),
    ("just_below_gold", {"flat": 99_999_99, "tier": "gold"}),
    ("threshold_platinum", {"flat": 1_000_000_00, "tier": "platinum"}),
    ("threshold_diamond", {"flat": 5_000_000_00, "tier": "diamond"}),
    ("missing_month_platinum", {"flat": 1_050_000_00, "tier": "platinum", "missing": (-6,)}),
    ("missing_old_months_gold", {"flat": 250_000_00, "tier": "gold", "missing": (0, 1)}),
    ("missing_month_diamond", {"flat": 6_000_000_00, "tier": "diamond", "missing": (-3,)}),
    ("drop_exactly_30pct", {"flat": 2_000_000_00, "last": 1_400_000_00, "tier": "platinum"}),
    ("drop_just_under_30pct", {"flat": 2_000_000_00, "last": 1_400_000_01, "tier": "platinum"}),
    ("drop_60pct_diamond", {"flat": 8_000_000_00, "last": 3_200_000_00, "tier": "diamond"}),
    ("drop_40pct_gold", {"flat": 500_000_00, "last": 300_000_00, "tier": "gold"}),
    (
        "outflow_exactly_500k",
        {"flat": 1_800_000_00, "tier": "platinum", "txn": [(2, -500_000_00, "counter")]},
    ),
    (
        "outflow_1_28m",
        {"flat": 9_000_000_00, "tier": "diamond", "txn": [(1, -1_280_000_00, "online")]},
    ),
    (
        "outflow_just_under",
        {"flat": 1_500_000_00, "tier": "platinum", "txn": [(3, -499_999_99, "mobile")]},
    ),
    (
        "outflow_old_10d",
        {"flat": 2_500_000_00, "tier": "platinum", "txn": [(10, -800_000_00, "counter")]},
    ),
    ("birthday_today", {"flat": 400_000_00, "tier": "gold", "birthday": (0, 1972)}),
    ("birthday_in_3_days", {"flat": 1_200_000_00, "tier": "platinum", "birthday": (3, 1965)}),
    ("birthday_in_4_days", {"flat": 600_000_00, "tier": "gold", "birthday": (4, 1980)}),
    (
        "lunar_birthday_tomorrow",
        {"flat": 7_000_000_00, "tier": "diamond", "birth": ("1968-12-09", "lunar")},
    ),
    (
        "lunar_decoy_solar_tomorrow",
        {"flat": 300_000_00, "tier": "gold", "birth": ("1981-11-28", "lunar")},
    ),
    ("birthday_yesterday", {"flat": 150_000_00, "tier": "gold", "birthday": (-1, 1958)}),
    ("maturity_in_1_day", {"flat": 800_000_00, "tier": "gold", "maturity": ("P_BLF", 1)}),
    ("maturity_in_7_days", {"flat": 3_000_000_00, "tier": "platinum", "maturity": ("P_DECD", 7)}),
    ("maturity_in_8_days", {"flat": 450_000_00, "tier": "gold", "maturity": ("P_DQCK", 8)}),
    ("gold_counter_2_days_ago", {"flat": 350_000_00, "tier": "gold", "counter": 2}),
    ("gold_counter_10_days_ago", {"flat": 180_000_00, "tier": "gold", "counter": 10}),
    ("gold_never_at_counter", {"flat": 220_000_00, "tier": "gold", "counter": None}),
    ("inactive_manager_1", {"flat": 650_000_00, "tier": "gold", "manager": "inactive"}),
    ("inactive_manager_2", {"flat": 1_300_000_00, "tier": "platinum", "manager": "inactive"}),
    ("diamond_by_branch_head", {"flat": 12_000_000_00, "tier": "diamond", "manager": "head"}),
    ("newly_qualified_platinum", {"flat": 1_500_000_00, "tier": "", "manager": None}),
    ("newly_qualified_gold", {"flat": 160_000_00, "tier": "", "manager": None}),
    ("upgrade_gold_to_platinum", {"flat": 1_800_000_00, "tier": "gold"}),
    ("compound_surname_diamond", {"flat": 5_600_000_00, "tier": "diamond", "surname": "歐陽"}),
    ("compound_surname_gold", {"flat": 420_000_00, "tier": "gold", "surname": "司马"}),
    ("risk_expired", {"flat": 2_200_000_00, "tier": "platinum", "risk": (3, 400)}),
    ("risk_expiring_in_15_days", {"flat": 1_100_000_00, "tier": "platinum", "risk": (4, 350)}),
    ("risk_missing", {"flat": 1_600_000_00, "tier": "platinum", "risk": None}),
    (
        "anniversary_in_2_days",
        {"flat": 2_800_000_00, "tier": "platinum", "anniversary": ("結婚紀念日", 2, 1995)},
    ),
    (
        "diamond_contact_overdue",
        {"flat": 6_500_000_00, "tier": "diamond", "contacts": [(40, "phone"), (70, "meeting")]},
    ),
    (
        "diamond_contact_ok_meeting",
        {"flat": 5_800_000_00, "tier": "diamond", "contacts": [(10, "meeting"), (45, "phone")]},
    ),
    (
        "gold_quarterly_overdue",
        {"flat": 280_000_00, "tier": "gold", "contacts": [(95, "phone")], "counter": None},
    ),
    (
        "platinum_only_messages",
        {"flat": 1_400_000_00, "tier": "platinum", "contacts": [(5, "wechat"), (20, "sms")]},
    ),
]
SPECIAL_INDEX = {3 + 7 * k: (name, spec) for k, (name, spec) in enumerate(SPECIALS)}


def special_ids(customers: int = DEFAULT_CUSTOMERS) -> dict[str, str]:
    """Scenario name → customer id of the special customers present for ``customers``."""
    return {name: f"C{idx:07d}" for idx, (name, _) in SPECIAL_INDEX.items() if idx <= customers}


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def _expand(weights: dict[str, int]) -> list[str]:
    out: list[str] = []
    for key, w in weights.items():
        out.extend([key] * w)
    return out


def _money(fen: int) -> str:
    if fen < 0:
        q, r = divmod(-fen, 100)
        return f"-{q}.{r:02d}"
    q, r = divmod(fen, 100)
    return f"{q}.{r:02d}"


def _month_list(end_month: str, months: int) -> list[tuple[int, int]]:
    y, m = (int(x) for x in end_month.split("-"))
    out = []
    for _ in range(months):
        out.append((y, m))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return out[::-1]


def _reference_date(end_month: str) -> dt.date:
    y, m = (int(x) for x in end_month.split("-"))
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return dt.date(y, m, 27)


def _id_number(area: str, birth: str, seq: int) -> str:
    body = area + birth + f"{seq:03d}"
    s = 0
    for ch, w in zip(body, ID_WEIGHTS, strict=True):
        s += (ord(ch) - 48) * w
    return body + ID_CHECK[s % 11]


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.surnames: list[str] = []
        for tok in SURNAMES.split():
            self.surnames.extend([tok[0]] * int(tok[1:]))

    def make(self, gender: str, surname: str | None = None) -> str:
        r = self.rng.random
        if surname is None:
            if r() < 0.03:
                surname = COMPOUND_SURNAMES[int(r() * len(COMPOUND_SURNAMES))]
            else:
                surname = self.surnames[int(r() * len(self.surnames))]
        chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
        given = chars[int(r() * len(chars))]
        if r() < 0.7:
            given += chars[int(r() * len(chars))]
        return surname + given


def _csv_writer(path: Path):
    f = open(path, "w", encoding="utf-8", newline="", buffering=1 << 20)  # noqa: SIM115
    return f, csv.writer(f, lineterminator="\n")


# --------------------------------------------------------------------------------------
# Structure: branches and staff
# --------------------------------------------------------------------------------------


def _build_structure(rng: random.Random, names: _Names, customers: int):
    n_outlets = max(2, round(customers / CUSTOMERS_PER_OUTLET))
    n_l2 = min(len(CITIES), max(1, -(-n_outlets // 50)))
    width_o = max(3, len(str(n_outlets)))
    branches = [("B01", "廣西分行", "", "1")]
    l2_ids = []
    for j in range(n_l2):
        bid = f"B01{j + 1:02d}"
        l2_ids.append(bid)
        branches.append((bid, CITIES[j] + "分行", "B01", "2"))
    outlets = []
    for k in range(n_outlets):
        oid = f"O{k + 1:0{width_o}d}"
        parent = l2_ids[k * n_l2 // n_outlets]
        city = CITIES[k * n_l2 // n_outlets]
        name = OUTLET_NAMES[k] if k < len(OUTLET_NAMES) else f"{city}第{k + 1}支行"
        outlets.append(oid)
        branches.append((oid, name, parent, "3"))

    staff_rows: list[tuple] = []
    n_staff_est = 3 + n_l2 + n_outlets * 20
    width_s = max(3, len(str(n_staff_est)))
    counter = [0]

    def add(role: str, branch: str, capacity: float = 1.0, active: bool = True) -> str:
        counter[0] += 1
        sid = f"S{counter[0]:0{width_s}d}"
        gender = "M" if rng.random() < 0.5 else "F"
        staff_rows.append(
            (
                sid,
                names.make(gender),
                role,
                branch,
                f"{capacity:.2f}",
                "true" if active else "false",
            )
        )
        return sid

    add("operator", "B01")
    add("approver_l1", "B01")
    for bid in l2_ids:
        add("approver_l2", bid)

    per_outlet = []
    for k, oid in enumerate(outlets):
        if k == 0:
            n_am, n_adv, n_lobby, n_tell = 7, 2, 2, 3
        elif k == 1:
            n_am, n_adv, n_lobby, n_tell = 5, 1, 1, 2
        else:
            n_am = 5 + int(rng.random() * 4)
            n_adv = 1 + int(rng.random() * 2)
            n_lobby = 1 + int(rng.random() * 2)
            n_tell = 2 + int(rng.random() * 2)
        head = add("branch_head", oid)
        ams = []
        for i in range(n_am):
            cap = 0.5 if i == n_am - 2 else (1.2 if i == n_am - 1 else 1.0)
            ams.append((add("account_manager", oid, cap), cap))
        inactive = add("account_manager", oid, 1.0, active=False)
        advisors = [add("advisor", oid) for _ in range(n_adv)]
        lobby = [add("lobby_manager", oid) for _ in range(n_lobby)]
        tellers = [add("teller", oid) for _ in range(n_tell)]
        weighted_ams: list[str] = []
        for sid, cap in ams:
            weighted_ams.extend([sid] * int(round(cap * 10)))
        per_outlet.append(
            {
                "id": oid,
                "head": head,
                "ams": weighted_ams,
                "inactive": inactive,
                "advisors": advisors,
                "lobby": lobby,
                "tellers": tellers,
                "inactive_used": 0,
            }
        )
    return branches, staff_rows, per_outlet


# --------------------------------------------------------------------------------------
# Products (csv + xlsx)
# --------------------------------------------------------------------------------------


def _product_rows(ref: dt.date) -> list[tuple]:
    rows = []
    for code, name, cat, risk, series, level, launched in PRODUCTS:
        if launched == "NEW1":
            launched = (ref - dt.timedelta(days=12)).isoformat()
        elif launched == "NEW2":
            launched = (ref - dt.timedelta(days=25)).isoformat()
        rows.append((code, name, cat, risk, series, str(level), launched))
    return rows


_FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _write_xlsx(path: Path, rows: list[tuple]) -> None:
    from openpyxl import Workbook  # lazy: only needed for this one file

    wb = Workbook()
    ws = wb.active
    ws.title = "products"
    ws.append(HEADERS["products"])
    for code, name, cat, risk, series, level, launched in rows:
        ws.append(
            [code, name, cat, risk or None, series, int(level), dt.date.fromisoformat(launched)]
        )
    for row in ws.iter_rows(min_row=2, min_col=7, max_col=7):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["G"].width = 12
    fixed = dt.datetime(2026, 1, 1)
    wb.properties.creator = "vip sample_data/generate.py"
    wb.properties.created = fixed
    buf = io.BytesIO()
    wb.save(buf)
    # Rewrite the archive with fixed timestamps so the output is byte-identical run to run.
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2026-01-01T00:00:00Z\g<2>",
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, data)
    path.write_bytes(out.getvalue())


# --------------------------------------------------------------------------------------
# Main generator
# --------------------------------------------------------------------------------------


def generate(
    out_dir: Path,
    customers: int = DEFAULT_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    months: int = DEFAULT_MONTHS,
    end_month: str = DEFAULT_END_MONTH,
    contacts_per_customer: int = DEFAULT_CONTACTS_PER_CUSTOMER,
) -> dict[str, Path]:
    """Write the data set into ``out_dir``; return file kind → path.

    Kinds: the keys of ``HEADERS`` plus ``customers_gbk`` and ``products_xlsx``.
    """
    if customers < 1 or months < 1 or contacts_per_customer < 0:
        raise ValueError("customers and months must be >= 1, contacts_per_customer >= 0")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    r = rng.random
    names = _Names(rng)

    ref = _reference_date(end_month)
    ref_ord = ref.toordinal()
    month_list = _month_list(end_month, months)
    month_str = [f"{y:04d}-{m:02d}" for y, m in month_list]
    month_days = [calendar.monthrange(y, m)[1] for y, m in month_list]
    win = list(range(max(0, months - 12), months))  # indices of the 12-month window
    # Missing earlier months (when months < 12) count as zero but keep the full-window days.
    win_days_total = sum(month_days[i] for i in win)
    if months < 12:
        y, m = month_list[0]
        for _ in range(12 - months):
            m -= 1
            if m == 0:
                y, m = y - 1, 12
            win_days_total += calendar.monthrange(y, m)[1]

    base_ord = dt.date(1900, 1, 1).toordinal()
    iso_cache = [
        dt.date.fromordinal(base_ord + i).isoformat()
        for i in range(dt.date(2080, 12, 31).toordinal() - base_ord + 1)
    ]

    def iso(o: int) -> str:
        return iso_cache[o - base_ord]

    times = [
        f"T{h:02d}:{mi:02d}:{s:02d}"
        for h in range(8, 18)
        for mi in range(0, 60, 3)
        for s in (0, 17, 42)
    ]

    paths = {k: out_dir / f"{k}.csv" for k in HEADERS}
    paths["customers_gbk"] = out_dir / "customers_gbk.csv"
    paths["products_xlsx"] = out_dir / "products.xlsx"

    # ---- structure, products, cross-sell
    branches, staff_rows, outlets = _build_structure(rng, names, customers)
    for kind, rows in (("branches", branches), ("staff", staff_rows)):
        f, w = _csv_writer(paths[kind])
        w.writerow(HEADERS[kind])
        w.writerows(rows)
        f.close()
    prows = _product_rows(ref)
    f, w = _csv_writer(paths["products"])
    w.writerow(HEADERS["products"])
    w.writerows(prows)
    f.close()
    _write_xlsx(paths["products_xlsx"], prows)
    f, w = _csv_writer(paths["cross_sell"])
    w.writerow(HEADERS["cross_sell"])
    w.writerows(CROSS_SELL)
    f.close()

    # ---- per-customer streams
    handles = {}
    writers = {}
    for kind in (
        "customers",
        "monthly_assets",
        "holdings",
        "transactions",
        "contacts",
        "risk_assessments",
        "anniversaries",
    ):
        handles[kind], writers[kind] = _csv_writer(paths[kind])
        writers[kind].writerow(HEADERS[kind])
    w_cust = writers["customers"].writerow
    # The three big files are written as pre-formatted lines: their fields never need
    # quoting (ids, ISO dates, numbers, fixed texts without commas or quotes), so the bytes
    # equal what csv.writer would produce -- the unit test checks this.
    w_assets = handles["monthly_assets"].write
    w_hold = writers["holdings"].writerows
    w_txn = handles["transactions"].write
    w_cont = handles["contacts"].write
    w_risk = writers["risk_assessments"].writerow
    w_anniv = writers["anniversaries"].writerow

    occ = _expand(OCCUPATION_W)
    occ_rich = _expand(OCCUPATION_RICH_W)
    orient = _expand(ORIENTATION_W)
    pref = _expand(PREF_CHANNEL_W)
    source_l = _expand(SOURCE_W)
    cchan = _expand(CONTACT_CHANNEL_W)
    tchan = _expand(TXN_CHANNEL_W)
    tchan_nocounter = [c for c in tchan if c != "counter"]
    risk_l = _expand(RISK_LEVEL_W)
    n_outlets = len(outlets)
    n_occ, n_occr, n_or, n_pref, n_src = (
        len(occ),
        len(occ_rich),
        len(orient),
        len(pref),
        len(source_l),
    )
    n_cch, n_tch, n_tnc, n_risk = len(cchan), len(tchan), len(tchan_nocounter), len(risk_l)
    texts = [f"{p},{t}" for p, t in CONTACT_TEXTS]
    n_texts = len(texts)
    n_times = len(times)
    birth_lo = dt.date(1945, 1, 1).toordinal()
    birth_span = dt.date(1995, 12, 31).toordinal() - birth_lo + 1
    since_lo = dt.date(2014, 1, 1).toordinal()
    since_span = ref_ord - 60 - since_lo
    log = math.log
    exp = math.exp
    # ADB12 thresholds scaled by the window's day count (exact integer comparisons).
    th_d = FEN_DIAMOND * win_days_total
    th_p = FEN_PLATINUM * win_days_total
    th_g = FEN_GOLD * win_days_total
    gbk_rows: list[list[str]] = []
    txn_no = 0
    contact_no = 0
    # ``contacts_per_customer`` is the approximate mean over *all* customers: Diamond and
    # Platinum customers get periodic calls (about 1.3 contacts per customer overall), the
    # rest goes to the other managed customers (about 40 % of all customers).
    gold_contacts = max(1.0, (contacts_per_customer - 1.3) / 0.36)

    for idx in range(1, customers + 1):
        cid = f"C{idx:07d}"
        special = SPECIAL_INDEX.get(idx)
        spec = special[1] if special else None

        # -- outlet
        if spec is not None:
            o = outlets[0]
            r()
        elif n_outlets == 2:
            o = outlets[0] if r() < 0.75 else outlets[1]
        else:
            o = outlets[int(r() * n_outlets)]
        branch_id = o["id"]

        # -- assets: band and monthly path (fen)
        u = r()
        if u < 0.02:
            band, lo, hi = 3, 5_000_000, 40_000_000
        elif u < 0.12:
            band, lo, hi = 2, 1_000_000, 5_000_000
        elif u < 0.57:
            band, lo, hi = 1, 100_000, 1_000_000
        else:
            band, lo, hi = 0, 2_000, 100_000
        level = exp(log(lo) + (log(hi) - log(lo)) * r())
        trend = (r() - 0.5) * 0.03
        f_ = 1.0 + (r() - 0.5) * 0.2
        vals = []
        for _ in range(months):
            f_ *= 1.0 + trend + (r() - 0.5) * 0.08
            vals.append(int(level * f_ * 100))
        if r() < 0.003 and months >= 2:  # random month-over-month drop >= 30 %
            vals[-1] = int(vals[-2] * (0.35 + 0.3 * r()))
        missing: tuple[int, ...] = ()
        if r() < 0.002 and months >= 3:
            missing = (1 + int(r() * (months - 2)),)
        if spec is not None:
            if "flat" in spec:
                vals = [spec["flat"]] * months
                level = spec["flat"] / 100
            if "last" in spec:
                vals[-1] = spec["last"]
            missing = tuple(i % months for i in spec.get("missing", ()))
            band = (
                3
                if level >= 5_000_000
                else 2
                if level >= 1_000_000
                else 1
                if (level >= 100_000)
                else 0
            )
        adb_num = 0
        for i in win:
            if i not in missing:
                adb_num += vals[i] * month_days[i]
        if adb_num >= th_d:
            q = "diamond"
        elif adb_num >= th_p:
            q = "platinum"
        elif adb_num >= th_g:
            q = "gold"
        else:
            q = ""
        adb12 = adb_num / win_days_total / 100  # CNY, float (only used for routing rules)

        # -- signed tier
        u = r()
        if q:
            if u < 0.80:
                s = q
            elif u < 0.87:
                s = {"diamond": "platinum", "platinum": "gold", "gold": ""}[q]
            elif u < 0.95:
                s = ""
            else:
                s = {"diamond": "diamond", "platinum": "diamond", "gold": "platinum"}[q]
        else:
            s = "gold" if (adb12 >= 50_000 and u < 0.15) else ""
        if spec is not None and "tier" in spec:
            s = spec["tier"]
        tier_since = iso(since_lo + int(r() * since_span)) if s else ""

        # -- identity
        gender = "M" if r() < 0.5 else "F"
        name = names.make(gender, spec.get("surname") if spec else None)
        bo = birth_lo + int(r() * birth_span)
        cal = "lunar" if r() < 0.15 else "solar"
        if spec is not None:
            if "birthday" in spec:
                off, year = spec["birthday"]
                md = dt.date.fromordinal(ref_ord + off)
                bo = dt.date(year, md.month, md.day).toordinal()
                cal = "solar"
            elif "birth" in spec:
                bo = dt.date.fromisoformat(spec["birth"][0]).toordinal()
                cal = spec["birth"][1]
        birth = iso(bo)
        phone = f"1{'358'[int(r() * 3)]}{int(r() * 10)}{int(r() * 100_000_000):08d}"
        seq = int(r() * 500) * 2 + (1 if gender == "M" else 0)
        id_number = _id_number(
            AREA_CODES[int(r() * len(AREA_CODES))], birth[0:4] + birth[5:7] + birth[8:10], seq
        )
        occupation = (
            occ_rich[int(r() * n_occr)] if band >= 2 and r() < 0.6 else occ[int(r() * n_occ)]
        )
        orientation = orient[int(r() * n_or)]
        channel = pref[int(r() * n_pref)]
        source = source_l[int(r() * n_src)]

        # -- manager
        manager = ""
        if s or q:
            u = r()
            if not s:
                manager = o["ams"][int(r() * len(o["ams"]))] if u < 0.25 else ""
            elif u < 0.05:
                manager = ""
            elif (s == "diamond" or q == "diamond") and u < 0.3:
                manager = o["head"]
            elif s == "gold" and 200_000 <= adb12 < 500_000 and u < 0.17:
                manager = o["lobby"][int(r() * len(o["lobby"]))]
            elif s == "gold" and 100_000 <= adb12 < 200_000 and u < 0.17:
                manager = o["tellers"][int(r() * len(o["tellers"]))]
            elif s and u > 0.998 and o is not outlets[0] and o["inactive_used"] < 2:
                manager = o["inactive"]
                o["inactive_used"] += 1
            else:
                manager = o["ams"][int(r() * len(o["ams"]))]
            if spec is not None and "manager" in spec:
                m_ = spec["manager"]
                if m_ is None:
                    manager = ""
                elif m_ == "head":
                    manager = o["head"]
                elif m_ == "inactive":
                    manager = o["inactive"]
                    o["inactive_used"] += 1
            if spec is not None and "manager" not in spec and not manager:
                manager = o["ams"][int(r() * len(o["ams"]))]

        crow = (
            cid,
            name,
            gender,
            birth,
            cal,
            phone,
            id_number,
            occupation,
            orientation,
            channel,
            branch_id,
            s,
            tier_since,
            manager,
            source,
        )
        w_cust(crow)
        if len(gbk_rows) < GBK_ROWS and source == "other":
            trad = len(gbk_rows) % 2 == 0
            L = GBK_LABELS
            j = 0 if trad else 1
            grow = [
                cid,
                name,
                L["gender"][gender][j],
                birth,
                L["birthday_calendar"][cal][j],
                phone,
                id_number,
                L["occupation"][occupation][j],
                L["orientation"][orientation][j],
                L["preferred_channel"][channel][j],
                branch_id,
                L["tier"][s][j],
                tier_since,
                manager,
                L["source"][source][j],
            ]
            try:
                ",".join(grow).encode("gbk")
                gbk_rows.append(grow)
            except UnicodeEncodeError:
                pass

        # -- monthly assets
        if missing:
            w_assets(
                "".join(
                    [
                        f"{cid},{month_str[i]},{vals[i] / 100:.2f}\n"
                        for i in range(months)
                        if i not in missing
                    ]
                )
            )
        else:
            w_assets(
                "".join([f"{cid},{month_str[i]},{vals[i] / 100:.2f}\n" for i in range(months)])
            )

        # -- holdings
        if band == 0:
            core, pool, n_h = CORE_LOW, POOL_LOW, 1 + int(r() * 2)
        elif band == 1:
            core, pool, n_h = CORE_GOLD, POOL_GOLD, 1 + int(r() * 4)
        else:
            core, pool, n_h = CORE_HIGH, POOL_HIGH, 2 + int(r() * 4)
        if spec is not None and "maturity" in spec:
            chosen = [spec["maturity"][0]]
        else:
            chosen = [core[int(r() * len(core))]]  # every customer holds some assets
        tries = 0
        while len(chosen) < n_h and tries < 12:
            tries += 1
            p = pool[int(r() * len(pool))]
            if p not in chosen:
                chosen.append(p)
        hrows = []
        for p in chosen:
            cat = CATEGORY[p]
            if cat in ("e_banking", "service"):
                amount = 0
            elif cat == "card":
                amount = (
                    {"P_PTXYK": 20_000, "P_JKXYK": 50_000, "P_BJXYK": 100_000}[p]
                    * (1 + int(r() * 5))
                    * 100
                )
            elif cat == "loan":
                amount = (100 + int(r() * 2900)) * 1000 * 100
            elif p == "P_HQCK":
                amount = int(level * (0.05 + 0.3 * r()) * 100)
            else:
                amount = max(1000, int(level * (0.05 + 0.35 * r()) / 100) * 100) * 100
            terms = TERMS.get(p)
            if terms:
                term = terms[int(r() * len(terms))]
                if spec is not None and "maturity" in spec and p == spec["maturity"][0]:
                    mat_off = spec["maturity"][1]
                elif r() < 0.004:
                    mat_off = 1 + int(r() * 7)
                else:
                    mat_off = 1 + int(r() * (term - 1))  # start stays before today
                mat = ref_ord + mat_off
                start, maturity = iso(mat - term), iso(mat)
            else:
                start, maturity = iso(ref_ord - 30 - int(r() * 2500)), ""
            hrows.append((cid, p, _money(amount), start, maturity))
        w_hold(hrows)

        # -- transactions (dates within the 60 days before the reference date)
        if band == 0:
            n_t = int(r() * 4)
        elif band == 1:
            n_t = int(r() * 7)
        else:
            n_t = 1 + int(r() * 8)
        counter_mode = "any"
        if spec is not None and "counter" in spec:
            counter_mode = spec["counter"]  # None = never, int = days ago
        elif s == "gold" or (q == "gold" and manager):
            u = r()
            counter_mode = (
                1 + int(r() * 7) if u < 0.45 else (8 + int(r() * 50) if u < 0.85 else None)
            )
        tx = []
        for _ in range(n_t):
            off = 1 + int(r() * 60)
            if counter_mode == "any":
                ch = tchan[int(r() * n_tch)]
            else:
                ch = tchan_nocounter[int(r() * n_tnc)]
            if ch == "atm":
                amt = -(1 + int(r() * 50)) * 100_00
            else:
                amt = min(int(level * (0.002 + 0.05 * r()) * 100), 450_000_00)
                if r() < 0.55:
                    amt = -amt
            tx.append((off, amt, ch))
        if isinstance(counter_mode, int) and not isinstance(counter_mode, bool):
            off_c = counter_mode
            tx.append((off_c, int(level * (0.002 + 0.02 * r()) * 100), "counter"))
            # keep the stated day as the most recent counter business
            tx = [t for t in tx if t[2] != "counter" or t[0] >= off_c]
        if band >= 2 and spec is None:
            u = r()
            if u < 0.01:
                tx.append(
                    (
                        1 + int(r() * 6),
                        -(500_000 + int(r() * 1_500_000)) * 100,
                        tchan[int(r() * n_tch)],
                    )
                )
            elif u < 0.013:
                tx.append((1 + int(r() * 6), -499_999_99, "online"))
        if spec is not None and "txn" in spec:
            tx.extend(spec["txn"])
        if tx:
            tx.sort(key=lambda t: -t[0])
            trows = []
            for off, amt, ch in tx:
                txn_no += 1
                trows.append(
                    f"T{txn_no:010d},{cid},{iso_cache[ref_ord - off - base_ord]},"
                    f"{amt / 100:.2f},{ch}\n"
                )
            w_txn("".join(trows))

        # -- contacts (managed customers, over the last ~100 days)
        if manager and contacts_per_customer > 0:
            if spec is not None and "contacts" in spec:
                cts = list(spec["contacts"])
            else:
                cts = []
                t_ = s or q
                u = r()
                if u < 0.04:
                    pass  # neglected: no contact at all
                elif u < 0.08:
                    cts.append((91 + int(r() * 10), cchan[int(r() * n_cch)]))
                elif t_ in ("diamond", "platinum"):
                    # Periodic calls/meetings: most on cadence, some lagging behind.
                    iv = 15 if t_ == "diamond" else 7
                    p_meet = 0.3 if t_ == "diamond" else 0.15
                    off = 1 + int(r() * iv) if u < 0.6 else iv + 1 + int(r() * 30)
                    while off <= 100:
                        ch = "meeting" if r() < p_meet else "phone"
                        cts.append((off, ch))
                        off += max(1, int(iv * (2 if ch == "meeting" else 1) * (0.8 + 0.3 * r())))
                    if r() < 0.5:
                        cts.append((1 + int(r() * 100), "wechat" if r() < 0.7 else "sms"))
                else:
                    n_c = int(r() * 2 * gold_contacts + 0.5)
                    for _ in range(n_c):
                        cts.append((1 + int(r() * 100), cchan[int(r() * n_cch)]))
            if cts:
                cts.sort(key=lambda t: -t[0])
                crows = []
                prefix = f",{cid},{manager},"
                for off, ch in cts:
                    contact_no += 1
                    crows.append(
                        f"CT{contact_no:09d}{prefix}{iso_cache[ref_ord - off - base_ord]}"
                        f"{times[int(r() * n_times)]},{ch},"
                        f"{texts[int(r() * n_texts)]}\n"
                    )
                w_cont("".join(crows))

        # -- risk assessment
        has = r() < (0.85 if (s or q) else 0.25)
        lvl = risk_l[int(r() * n_risk)]
        days_ago = 1 + int(r() * 365) if r() < 0.82 else 366 + int(r() * 700)
        if spec is not None and "risk" in spec:
            if spec["risk"] is None:
                has = False
            else:
                has, lvl, days_ago = True, str(spec["risk"][0]), spec["risk"][1]
        if has:
            w_risk((cid, lvl, iso(ref_ord - days_ago)))

        # -- anniversaries
        if spec is not None and "anniversary" in spec:
            label, off, year = spec["anniversary"]
            md = dt.date.fromordinal(ref_ord + off)
            w_anniv((cid, label, f"{year:04d}-{md.month:02d}-{md.day:02d}"))
        elif (s or q) and r() < 0.03:
            a_ord = dt.date(1985 + int(r() * 35), 1, 1).toordinal() + int(r() * 365)
            w_anniv((cid, ANNIVERSARY_LABELS[int(r() * len(ANNIVERSARY_LABELS))], iso(a_ord)))

    for fh in handles.values():
        fh.close()

    with open(paths["customers_gbk"], "w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(GBK_HEADER)
        w.writerows(gbk_rows)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--out", type=Path, default=HERE, help="output directory (default: sample_data/)"
    )
    ap.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--months", type=int, default=DEFAULT_MONTHS)
    ap.add_argument("--end-month", default=DEFAULT_END_MONTH, help="last asset month, YYYY-MM")
    ap.add_argument("--contacts-per-customer", type=int, default=DEFAULT_CONTACTS_PER_CUSTOMER)
    a = ap.parse_args(argv)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", a.end_month):
        ap.error("--end-month must be YYYY-MM")
    t0 = time.perf_counter()
    paths = generate(a.out, a.customers, a.seed, a.months, a.end_month, a.contacts_per_customer)
    took = time.perf_counter() - t0
    print(
        f"wrote {len(paths)} files to {a.out} in {took:.1f}s "
        f"(reference date {_reference_date(a.end_month)})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
