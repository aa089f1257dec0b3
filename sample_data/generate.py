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

Layout: the fixed files (branches, staff, products, the cross-sell table) first; then each
customer is drawn (``_draw_customer``) and its rows written stream by stream
(``_customer_row``, ``_asset_lines``, ``_holding_rows``, ``_transaction_lines``,
``_contact_lines``, ``_risk_row``, ``_anniversary_row``). Everything comes from one random
stream, so the order of the draws is part of the output: moving a draw changes every file
after it (the committed sample and its test would tell).
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).resolve().parent
T = TypeVar("T")

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
    "holdings": ["customer_id", "product_code", "amount", "start_date", "maturity_date", "units"],
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
    # Issue 15 (§12, §17): the after-sales extracts.
    "prices": ["product_code", "date", "nav", "yield", "dividend"],
    "loans": ["loan_id", "customer_id", "product", "principal", "balance", "due_date",
              "overdue_days", "overdue_amount"],
    "cards": ["card_no", "customer_id", "statement_date", "due_date", "amount_due", "min_due", "paid"],
}
GBK_HEADER = [
    "客户号",
    "姓名",
    "性别",
    "出生日期",
    "生日历法",
    "手机号",
    "证件号",
    "职业",
    "取向",
    "偏好渠道",
    "网点号",
    "卡级",
    "签约日期",
    "客户经理",
    "来源",
]
GBK_ROWS = 20

# --------------------------------------------------------------------------------------
# Products and the cross-sell table (handbook: 交叉销售产品匹配表, 重复营销示例, 向上营销示例)
# --------------------------------------------------------------------------------------

# code, name, category, risk_rating, series, level, launched_on ("NEW1"/"NEW2" = recent)
PRODUCTS: list[tuple[str, str, str, str, str, int, str]] = [
    ("P_HQCK", "活期存款", "deposit", "", "deposit", 1, "2000-01-01"),
    ("P_DQCK", "定期存款", "deposit", "", "deposit", 2, "2000-01-01"),
    ("P_DECD", "大额存单", "deposit", "", "deposit", 3, "2015-06-15"),
    ("P_SLF", "双利丰", "deposit", "", "deposit", 2, "2009-03-01"),
    ("P_BLF", "本利丰", "wealth", "PR1", "wealth", 1, "2008-05-20"),
    ("P_LC2", "理财产品(稳健型)", "wealth", "PR2", "wealth", 2, "2012-04-01"),
    ("P_LC3", "理财产品(平衡型)", "wealth", "PR3", "wealth", 3, "2013-09-01"),
    ("P_LC4", "理财产品(进取型)", "wealth", "PR4", "wealth", 4, "2016-03-01"),
    ("P_LC5", "理财产品(激进型)", "wealth", "PR5", "wealth", 5, "2019-07-01"),
    ("P_TTL", "本利丰·天天利", "wealth", "PR2", "wealth", 2, "NEW1"),
    ("P_HBJJ", "货币型基金", "fund", "PR1", "fund", 1, "2006-01-01"),
    ("P_JJB", "基金宝", "fund", "PR3", "fund", 2, "2007-08-01"),
    ("P_JJDT", "基金定投", "fund", "PR3", "fund", 2, "2006-01-01"),
    ("P_GPJJ", "股票型基金", "fund", "PR4", "fund", 3, "2006-01-01"),
    ("P_YLJJ", "养老目标基金", "fund", "PR3", "fund", 2, "NEW2"),
    ("P_FHBX", "分红型保险", "insurance", "PR2", "insurance", 1, "2005-01-01"),
    ("P_GZ", "国债", "bond", "PR1", "bond", 1, "2000-01-01"),
    ("P_HJ", "黄金", "precious_metal", "PR3", "gold", 1, "2008-01-01"),
    ("P_CSZB", "传世之宝", "precious_metal", "PR2", "gold", 2, "2009-01-01"),
    ("P_PTXYK", "普通贷记卡", "card", "", "credit_card", 1, "2003-01-01"),
    ("P_JKXYK", "金卡贷记卡", "card", "", "credit_card", 2, "2003-01-01"),
    ("P_BJXYK", "白金贷记卡", "card", "", "credit_card", 3, "2006-01-01"),
    ("P_AJDK", "普通按揭贷款", "loan", "", "mortgage", 1, "2000-01-01"),
    ("P_QQD", "气球贷", "loan", "", "mortgage", 2, "2008-06-01"),
    ("P_CDSY", "存贷双赢", "loan", "", "mortgage", 2, "2008-06-01"),
    ("P_QCDK", "汽车贷款", "loan", "", "consumer_loan", 1, "2004-01-01"),
    ("P_CDZY", "存单质押贷款", "loan", "", "consumer_loan", 1, "2004-01-01"),
    ("P_WSYH", "网上银行", "e_banking", "", "e_banking", 1, "2002-01-01"),
    ("P_SJYH", "手机银行", "e_banking", "", "e_banking", 2, "2010-01-01"),
    ("P_DXTZ", "短信通知", "service", "", "message", 1, "2005-01-01"),
]

CROSS_SELL: list[tuple[str, str, str]] = [
    # 白金贷记卡 → 网上银行, 消息服务, 基金定投, 债券
    ("P_BJXYK", "P_WSYH", "cross"),
    ("P_BJXYK", "P_DXTZ", "cross"),
    ("P_BJXYK", "P_JJDT", "cross"),
    ("P_BJXYK", "P_GZ", "cross"),
    # 传世之宝 → (贵宾卡) 网银, 手机银行, 短信通知, 保险, 贷记卡, 其他理财产品, 基金
    ("P_CSZB", "P_WSYH", "cross"),
    ("P_CSZB", "P_SJYH", "cross"),
    ("P_CSZB", "P_DXTZ", "cross"),
    ("P_CSZB", "P_FHBX", "cross"),
    ("P_CSZB", "P_JKXYK", "cross"),
    ("P_CSZB", "P_LC2", "cross"),
    ("P_CSZB", "P_JJB", "cross"),
    # 存贷双赢 → 消息服务, 手机银行, 信用卡, 保险产品, 基金, 理财产品, 网上银行
    ("P_CDSY", "P_DXTZ", "cross"),
    ("P_CDSY", "P_SJYH", "cross"),
    ("P_CDSY", "P_JKXYK", "cross"),
    ("P_CDSY", "P_FHBX", "cross"),
    ("P_CDSY", "P_JJB", "cross"),
    ("P_CDSY", "P_LC2", "cross"),
    ("P_CDSY", "P_WSYH", "cross"),
    # 网上银行 → 消息服务, 传世之宝, 国债, 信用卡, 基金
    ("P_WSYH", "P_DXTZ", "cross"),
    ("P_WSYH", "P_CSZB", "cross"),
    ("P_WSYH", "P_GZ", "cross"),
    ("P_WSYH", "P_JKXYK", "cross"),
    ("P_WSYH", "P_JJB", "cross"),
    # 基金宝 → 网上银行, 消息服务, 信用卡, 货币型基金
    ("P_JJB", "P_WSYH", "cross"),
    ("P_JJB", "P_DXTZ", "cross"),
    ("P_JJB", "P_JKXYK", "cross"),
    ("P_JJB", "P_HBJJ", "cross"),
    # 气球贷 → 网上银行, 手机银行, 消息服务, 保险
    ("P_QQD", "P_WSYH", "cross"),
    ("P_QQD", "P_SJYH", "cross"),
    ("P_QQD", "P_DXTZ", "cross"),
    ("P_QQD", "P_FHBX", "cross"),
    # 双利丰 → 网上银行, 手机银行, 消息服务, 传世之宝, 理财产品
    ("P_SLF", "P_WSYH", "cross"),
    ("P_SLF", "P_SJYH", "cross"),
    ("P_SLF", "P_DXTZ", "cross"),
    ("P_SLF", "P_CSZB", "cross"),
    ("P_SLF", "P_BLF", "cross"),
    # 重复营销示例: 存款 → 理财产品 / 储蓄类理财产品
    ("deposit", "P_BLF", "repeat"),
    ("deposit", "P_LC2", "repeat"),
    ("P_DQCK", "P_DECD", "repeat"),
    # 房贷 → 气球贷 / 存贷双赢 (see up rows) / 汽车贷款 / 存单质押贷款
    ("P_AJDK", "P_QCDK", "repeat"),
    ("P_AJDK", "P_CDZY", "repeat"),
    ("P_QQD", "P_CDSY", "repeat"),
    ("P_CDSY", "P_QQD", "repeat"),
    # 基金(分红) → 同类型理财产品 / 同风险等级的其它投资产品
    ("fund", "P_LC3", "repeat"),
    ("fund", "P_JJDT", "repeat"),
    ("wealth", "P_LC2", "repeat"),
    ("P_BLF", "P_TTL", "repeat"),
    # 黄金 → 分红型保险 / 传世之宝
    ("P_HJ", "P_FHBX", "repeat"),
    ("P_HJ", "P_CSZB", "repeat"),
    # 向上营销: 普通贷记卡 → 金卡 → 白金; 普通按揭 → 气球贷 / 存贷双赢
    ("P_PTXYK", "P_JKXYK", "up"),
    ("P_JKXYK", "P_BJXYK", "up"),
    ("P_AJDK", "P_QQD", "up"),
    ("P_AJDK", "P_CDSY", "up"),
    # 存款客户 → 大额存款 (up the deposit series)
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
CATEGORY = {product[0]: product[2] for product in PRODUCTS}
PRODUCT_NAME = {product[0]: product[1] for product in PRODUCTS}

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
COMPOUND_SURNAMES = ["欧阳", "欧阳", "司马", "诸葛", "上官", "司徒"]
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
    "南宁",
    "柳州",
    "桂林",
    "梧州",
    "北海",
    "玉林",
    "百色",
    "钦州",
    "河池",
    "贺州",
    "来宾",
    "崇左",
    "防城港",
    "贵港",
]
OUTLET_NAMES = [
    "民族支行",
    "青秀支行",
    "江南支行",
    "西乡塘支行",
    "兴宁支行",
    "良庆支行",
    "邕宁支行",
    "武鸣支行",
    "朝阳支行",
    "友爱支行",
    "东葛支行",
    "园湖支行",
    "金湖支行",
    "凤岭支行",
    "南湖支行",
    "星光支行",
    "大学路支行",
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
    ("日常维护", "电话问候，客户近况良好"),
    ("产品到期提醒", "提醒产品即将到期，客户考虑续作"),
    ("理财产品推介", "介绍新发行理财产品，客户表示有兴趣"),
    ("资产配置建议", "面谈讨论资产配置，建议适当分散投资"),
    ("售后跟踪", "跟进已购产品收益情况，客户满意"),
    ("活动邀约", "邀请参加投资沙龙，客户答应出席"),
    ("生日问候", "发送生日祝福"),
    ("节日问候", "节日短信问候"),
    ("风险测评预约", "预约重新做风险测评"),
    ("财富诊断", "回顾产品组合，提出调整建议"),
]
ANNIVERSARY_LABELS = ["结婚纪念日", "开户纪念日", "成为贵宾客户纪念日", "公司成立纪念日"]

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
    ("compound_surname_diamond", {"flat": 5_600_000_00, "tier": "diamond", "surname": "欧阳"}),
    ("compound_surname_gold", {"flat": 420_000_00, "tier": "gold", "surname": "司马"}),
    ("risk_expired", {"flat": 2_200_000_00, "tier": "platinum", "risk": (3, 400)}),
    ("risk_expiring_in_15_days", {"flat": 1_100_000_00, "tier": "platinum", "risk": (4, 350)}),
    ("risk_missing", {"flat": 1_600_000_00, "tier": "platinum", "risk": None}),
    (
        "anniversary_in_2_days",
        {"flat": 2_800_000_00, "tier": "platinum", "anniversary": ("结婚纪念日", 2, 1995)},
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
# Small helpers
# --------------------------------------------------------------------------------------


def _expand(weights: dict[str, int]) -> list[str]:
    """A weighted vocabulary as a list, each key repeated by its weight: one draw picks."""
    out: list[str] = []
    for key, weight in weights.items():
        out.extend([key] * weight)
    return out


def _pick(rand: Callable[[], float], items: Sequence[T]) -> T:
    """One item, with one draw."""
    return items[int(rand() * len(items))]


def _money(fen: int) -> str:
    if fen < 0:
        yuan, cents = divmod(-fen, 100)
        return f"-{yuan}.{cents:02d}"
    yuan, cents = divmod(fen, 100)
    return f"{yuan}.{cents:02d}"


def _month_list(end_month: str, months: int) -> list[tuple[int, int]]:
    year, month = (int(part) for part in end_month.split("-"))
    out = []
    for _ in range(months):
        out.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def _reference_date(end_month: str) -> dt.date:
    year, month = (int(part) for part in end_month.split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dt.date(year, month, 27)


def _id_number(area: str, birth: str, seq: int) -> str:
    body = area + birth + f"{seq:03d}"
    total = 0
    for digit, weight in zip(body, ID_WEIGHTS, strict=True):
        total += (ord(digit) - 48) * weight
    return body + ID_CHECK[total % 11]


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.surnames: list[str] = []
        for token in SURNAMES.split():
            self.surnames.extend([token[0]] * int(token[1:]))

    def make(self, gender: str, surname: str | None = None) -> str:
        rand = self.rng.random
        if surname is None:
            if rand() < 0.03:
                surname = _pick(rand, COMPOUND_SURNAMES)
            else:
                surname = _pick(rand, self.surnames)
        chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
        given = _pick(rand, chars)
        if rand() < 0.7:
            given += _pick(rand, chars)
        return surname + given


def _iso_dates() -> Callable[[int], str]:
    """ISO text of a day ordinal from 1900 to 2080, each formatted once: millions are written."""
    first = dt.date(1900, 1, 1).toordinal()
    last = dt.date(2080, 12, 31).toordinal()
    texts = [dt.date.fromordinal(day).isoformat() for day in range(first, last + 1)]

    def iso(ordinal: int) -> str:
        return texts[ordinal - first]

    return iso


class _CsvFile:
    """One output CSV, its header written on opening: rows go through ``rows`` (csv), or
    pre-formatted lines straight to ``file`` where no field ever needs quoting."""

    def __init__(self, path: Path, header: list[str]):
        self.file = open(path, "w", encoding="utf-8", newline="", buffering=1 << 20)  # noqa: SIM115
        self.rows = csv.writer(self.file, lineterminator="\n")
        self.rows.writerow(header)

    def close(self) -> None:
        self.file.close()


def _write_csv(path: Path, header: list[str], rows: list[tuple]) -> None:
    out = _CsvFile(path, header)
    out.rows.writerows(rows)
    out.close()


# --------------------------------------------------------------------------------------
# What every customer's draws share
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetMonths:
    """The months of monthly_assets.csv, oldest first, and the ADB12 window among them."""

    labels: list[str]  # 'YYYY-MM'
    days: list[int]
    window: list[int]  # indices of the last 12 months (all of them when fewer)
    window_days: int  # days of the full 12-month window: earlier months missing count as zero


def _asset_months(end_month: str, count: int) -> AssetMonths:
    months = _month_list(end_month, count)
    days = [calendar.monthrange(year, month)[1] for year, month in months]
    window = list(range(max(0, count - 12), count))
    window_days = sum(days[i] for i in window)
    year, month = months[0]
    for _ in range(12 - count):  # the window's months before the first one
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        window_days += calendar.monthrange(year, month)[1]
    labels = [f"{year:04d}-{month:02d}" for year, month in months]
    return AssetMonths(labels, days, window, window_days)


@dataclass
class Outlet:
    """An outlet and the staff its customers' managers are drawn from."""

    branch_id: str
    head: str
    managers: list[str]  # the active account managers, each repeated capacity × 10 times
    inactive: str  # the outlet's inactive account manager
    advisors: list[str]
    lobby: list[str]
    tellers: list[str]
    inactive_used: int = 0  # customers drawn for the inactive manager (at most 2)


class Run:
    """One generation: the random stream and everything fixed for it (reference date, asset
    months, vocabularies), and the running numbers of transactions and contacts."""

    def __init__(self, seed: int, months: int, end_month: str, contacts_per_customer: int):
        self.rng = random.Random(seed)
        self.rand = self.rng.random
        self.names = _Names(self.rng)
        self.ref = _reference_date(end_month)
        self.ref_ord = self.ref.toordinal()
        self.months = _asset_months(end_month, months)
        self.iso = _iso_dates()
        # ADB12 thresholds scaled by the window's day count (exact integer comparisons).
        self.bound_diamond = FEN_DIAMOND * self.months.window_days
        self.bound_platinum = FEN_PLATINUM * self.months.window_days
        self.bound_gold = FEN_GOLD * self.months.window_days
        self.birth_first = dt.date(1945, 1, 1).toordinal()
        self.birth_span = dt.date(1995, 12, 31).toordinal() - self.birth_first + 1
        self.since_first = dt.date(2014, 1, 1).toordinal()
        self.since_span = self.ref_ord - 60 - self.since_first
        self.contacts_per_customer = contacts_per_customer
        # ``contacts_per_customer`` is the approximate mean over *all* customers: Diamond and
        # Platinum customers get periodic calls (about 1.3 contacts per customer overall),
        # the rest goes to the other managed customers (about 40 % of all customers).
        self.gold_contacts = max(1.0, (contacts_per_customer - 1.3) / 0.36)
        self.occupations = _expand(OCCUPATION_W)
        self.rich_occupations = _expand(OCCUPATION_RICH_W)
        self.orientations = _expand(ORIENTATION_W)
        self.preferred_channels = _expand(PREF_CHANNEL_W)
        self.sources = _expand(SOURCE_W)
        self.contact_channels = _expand(CONTACT_CHANNEL_W)
        self.txn_channels = _expand(TXN_CHANNEL_W)
        self.txn_channels_off_counter = [ch for ch in self.txn_channels if ch != "counter"]
        self.risk_levels = _expand(RISK_LEVEL_W)
        self.contact_texts = [f"{purpose},{summary}" for purpose, summary in CONTACT_TEXTS]
        self.contact_times = [
            f"T{hour:02d}:{minute:02d}:{second:02d}"
            for hour in range(8, 18)
            for minute in range(0, 60, 3)
            for second in (0, 17, 42)
        ]
        self.txn_no = 0
        self.contact_no = 0


# --------------------------------------------------------------------------------------
# Branches and staff
# --------------------------------------------------------------------------------------


def _branch_rows(customers: int) -> tuple[list[tuple], list[str], list[str]]:
    """branches.csv: the region, its city branches and the outlets (about one per
    CUSTOMERS_PER_OUTLET customers); also the city branch ids and the outlet ids."""
    n_outlets = max(2, round(customers / CUSTOMERS_PER_OUTLET))
    n_cities = min(len(CITIES), max(1, -(-n_outlets // 50)))
    width = max(3, len(str(n_outlets)))
    rows = [("B01", "广西分行", "", "1")]
    city_ids = []
    for city in range(n_cities):
        city_id = f"B01{city + 1:02d}"
        city_ids.append(city_id)
        rows.append((city_id, CITIES[city] + "分行", "B01", "2"))
    outlet_ids = []
    for position in range(n_outlets):
        outlet_id = f"O{position + 1:0{width}d}"
        city = position * n_cities // n_outlets
        if position < len(OUTLET_NAMES):
            name = OUTLET_NAMES[position]
        else:
            name = f"{CITIES[city]}第{position + 1}支行"
        outlet_ids.append(outlet_id)
        rows.append((outlet_id, name, city_ids[city], "3"))
    return rows, city_ids, outlet_ids


class _StaffRows:
    """staff.csv as it is drawn: ids S001, S002, … wide enough for the expected head count."""

    def __init__(self, run: Run, expected: int):
        self.run = run
        self.width = max(3, len(str(expected)))
        self.rows: list[tuple] = []

    def add(self, role: str, branch: str, capacity: float = 1.0, active: bool = True) -> str:
        staff_id = f"S{len(self.rows) + 1:0{self.width}d}"
        gender = "M" if self.run.rand() < 0.5 else "F"
        name = self.run.names.make(gender)
        self.rows.append(
            (staff_id, name, role, branch, f"{capacity:.2f}", "true" if active else "false")
        )
        return staff_id


def _staff(
    run: Run, city_ids: list[str], outlet_ids: list[str]
) -> tuple[list[tuple], list[Outlet]]:
    """staff.csv: the region's operator and approver, an approver per city branch, and each
    outlet's head, account managers (one half-time, one at 1.2, one inactive), advisors,
    lobby managers and tellers; also the outlets as the managers are drawn from them."""
    staff = _StaffRows(run, 3 + len(city_ids) + len(outlet_ids) * 20)
    staff.add("operator", "B01")
    staff.add("approver_l1", "B01")
    for city_id in city_ids:
        staff.add("approver_l2", city_id)
    outlets = []
    for position, outlet_id in enumerate(outlet_ids):
        if position == 0:
            n_managers, n_advisors, n_lobby, n_tellers = 7, 2, 2, 3
        elif position == 1:
            n_managers, n_advisors, n_lobby, n_tellers = 5, 1, 1, 2
        else:
            n_managers = 5 + int(run.rand() * 4)
            n_advisors = 1 + int(run.rand() * 2)
            n_lobby = 1 + int(run.rand() * 2)
            n_tellers = 2 + int(run.rand() * 2)
        head = staff.add("branch_head", outlet_id)
        managers = []
        for i in range(n_managers):
            capacity = 0.5 if i == n_managers - 2 else (1.2 if i == n_managers - 1 else 1.0)
            managers.append((staff.add("account_manager", outlet_id, capacity), capacity))
        inactive = staff.add("account_manager", outlet_id, 1.0, active=False)
        advisors = [staff.add("advisor", outlet_id) for _ in range(n_advisors)]
        lobby = [staff.add("lobby_manager", outlet_id) for _ in range(n_lobby)]
        tellers = [staff.add("teller", outlet_id) for _ in range(n_tellers)]
        weighted: list[str] = []
        for staff_id, capacity in managers:
            weighted.extend([staff_id] * int(round(capacity * 10)))
        outlets.append(Outlet(outlet_id, head, weighted, inactive, advisors, lobby, tellers))
    return staff.rows, outlets


# --------------------------------------------------------------------------------------
# Products (csv + xlsx) and the cross-sell table
# --------------------------------------------------------------------------------------


def _product_rows(ref: dt.date) -> list[tuple]:
    rows = []
    for code, name, category, risk, series, level, launched in PRODUCTS:
        if launched == "NEW1":
            launched = (ref - dt.timedelta(days=12)).isoformat()
        elif launched == "NEW2":
            launched = (ref - dt.timedelta(days=25)).isoformat()
        rows.append((code, name, category, risk, series, str(level), launched))
    return rows


_FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _write_xlsx(path: Path, rows: list[tuple]) -> None:
    from openpyxl import Workbook  # lazy: only needed for this one file

    book = Workbook()
    sheet = book.active
    sheet.title = "products"
    sheet.append(HEADERS["products"])
    for code, name, category, risk, series, level, launched in rows:
        sheet.append(
            [
                code,
                name,
                category,
                risk or None,
                series,
                int(level),
                dt.date.fromisoformat(launched),
            ]
        )
    for row in sheet.iter_rows(min_row=2, min_col=7, max_col=7):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["G"].width = 12
    book.properties.creator = "vip sample_data/generate.py"
    book.properties.created = dt.datetime(2026, 1, 1)
    saved = io.BytesIO()
    book.save(saved)
    # Rewrite the archive with fixed timestamps so the output is byte-identical run to run.
    source = zipfile.ZipFile(io.BytesIO(saved.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2026-01-01T00:00:00Z\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    path.write_bytes(out.getvalue())


# --------------------------------------------------------------------------------------
# One customer's draws, in the order they take from the random stream
# --------------------------------------------------------------------------------------


@dataclass
class AssetPath:
    """A customer's monthly average daily assets and what they make of it."""

    band: int  # 0 under 100,000 · 1 Gold · 2 Platinum · 3 Diamond (drawn, or the special's)
    level: float  # the customer's typical balance in CNY: holdings and transactions scale on it
    monthly_fen: list[int]  # one per asset month
    missing: tuple[int, ...]  # indices of the months without a row
    qualified: str  # the tier the ADB12 of the last month reaches ('' = none)
    adb12: float  # CNY; only the manager rules read it


@dataclass
class Identity:
    gender: str
    name: str
    birth_date: str
    birthday_calendar: str
    phone: str
    id_number: str
    occupation: str
    orientation: str
    preferred_channel: str
    source: str


@dataclass
class Customer:
    """One customer as drawn: its customers.csv row and what its other rows are drawn from."""

    customer_id: str
    special: dict | None  # the SPECIALS scenario this customer plays, if any
    outlet: Outlet
    assets: AssetPath
    signed: str  # the signed tier ('' = none)
    tier_since: str
    identity: Identity
    manager: str


def _draw_customer(run: Run, outlets: list[Outlet], index: int) -> Customer:
    scenario = SPECIAL_INDEX.get(index)
    spec = scenario[1] if scenario else None
    outlet = _draw_outlet(run, outlets, spec)
    assets = _draw_assets(run, spec)
    signed, tier_since = _draw_signed_tier(run, spec, assets)
    identity = _draw_identity(run, spec, assets.band)
    manager = _draw_manager(run, spec, outlet, outlets[0], signed, assets)
    return Customer(f"C{index:07d}", spec, outlet, assets, signed, tier_since, identity, manager)


def _draw_outlet(run: Run, outlets: list[Outlet], spec: dict | None) -> Outlet:
    """About 3 in 4 customers at the first outlet when there are two; the specials there."""
    if spec is not None:
        run.rand()  # the draw of any customer, all the same
        return outlets[0]
    if len(outlets) == 2:
        return outlets[0] if run.rand() < 0.75 else outlets[1]
    return _pick(run.rand, outlets)


def _draw_assets(run: Run, spec: dict | None) -> AssetPath:
    """A band, a typical balance within it and a monthly random walk around it (fen); rarely
    a month-over-month drop of 30 % or more, or a month without a row."""
    rand, count = run.rand, len(run.months.labels)
    roll = rand()
    if roll < 0.02:
        band, low, high = 3, 5_000_000, 40_000_000
    elif roll < 0.12:
        band, low, high = 2, 1_000_000, 5_000_000
    elif roll < 0.57:
        band, low, high = 1, 100_000, 1_000_000
    else:
        band, low, high = 0, 2_000, 100_000
    level = math.exp(math.log(low) + (math.log(high) - math.log(low)) * rand())
    trend = (rand() - 0.5) * 0.03
    factor = 1.0 + (rand() - 0.5) * 0.2
    monthly = []
    for _ in range(count):
        factor *= 1.0 + trend + (rand() - 0.5) * 0.08
        monthly.append(int(level * factor * 100))
    if rand() < 0.003 and count >= 2:  # random month-over-month drop >= 30 %
        monthly[-1] = int(monthly[-2] * (0.35 + 0.3 * rand()))
    missing: tuple[int, ...] = ()
    if rand() < 0.002 and count >= 3:
        missing = (1 + int(rand() * (count - 2)),)
    if spec is not None:
        if "flat" in spec:
            monthly = [spec["flat"]] * count
            level = spec["flat"] / 100
        if "last" in spec:
            monthly[-1] = spec["last"]
        missing = tuple(i % count for i in spec.get("missing", ()))
        band = (
            3 if level >= 5_000_000 else 2 if level >= 1_000_000 else 1 if level >= 100_000 else 0
        )
    weighted = 0  # Σ fen × days over the window
    for i in run.months.window:
        if i not in missing:
            weighted += monthly[i] * run.months.days[i]
    if weighted >= run.bound_diamond:
        qualified = "diamond"
    elif weighted >= run.bound_platinum:
        qualified = "platinum"
    elif weighted >= run.bound_gold:
        qualified = "gold"
    else:
        qualified = ""
    adb12 = weighted / run.months.window_days / 100
    return AssetPath(band, level, monthly, missing, qualified, adb12)


def _draw_signed_tier(run: Run, spec: dict | None, assets: AssetPath) -> tuple[str, str]:
    """The card (signed tier) and its date: mostly the qualified tier, sometimes a tier below
    or above it or none; a few cards among the customers who qualify for nothing."""
    roll = run.rand()
    qualified = assets.qualified
    if qualified:
        if roll < 0.80:
            signed = qualified
        elif roll < 0.87:
            signed = {"diamond": "platinum", "platinum": "gold", "gold": ""}[qualified]
        elif roll < 0.95:
            signed = ""
        else:
            signed = {"diamond": "diamond", "platinum": "diamond", "gold": "platinum"}[qualified]
    else:
        signed = "gold" if (assets.adb12 >= 50_000 and roll < 0.15) else ""
    if spec is not None and "tier" in spec:
        signed = spec["tier"]
    tier_since = run.iso(run.since_first + int(run.rand() * run.since_span)) if signed else ""
    return signed, tier_since


def _draw_identity(run: Run, spec: dict | None, band: int) -> Identity:
    rand = run.rand
    gender = "M" if rand() < 0.5 else "F"
    name = run.names.make(gender, spec.get("surname") if spec else None)
    birth_ord = run.birth_first + int(rand() * run.birth_span)
    birthday_calendar = "lunar" if rand() < 0.15 else "solar"
    if spec is not None:
        if "birthday" in spec:
            offset, year = spec["birthday"]
            day = dt.date.fromordinal(run.ref_ord + offset)
            birth_ord = dt.date(year, day.month, day.day).toordinal()
            birthday_calendar = "solar"
        elif "birth" in spec:
            birth_ord = dt.date.fromisoformat(spec["birth"][0]).toordinal()
            birthday_calendar = spec["birth"][1]
    birth = run.iso(birth_ord)
    phone = f"1{'358'[int(rand() * 3)]}{int(rand() * 10)}{int(rand() * 100_000_000):08d}"
    seq = int(rand() * 500) * 2 + (1 if gender == "M" else 0)
    area = _pick(rand, AREA_CODES)
    id_number = _id_number(area, birth[0:4] + birth[5:7] + birth[8:10], seq)
    if band >= 2 and rand() < 0.6:
        occupation = _pick(rand, run.rich_occupations)
    else:
        occupation = _pick(rand, run.occupations)
    orientation = _pick(rand, run.orientations)
    preferred_channel = _pick(rand, run.preferred_channels)
    source = _pick(rand, run.sources)
    return Identity(
        gender,
        name,
        birth,
        birthday_calendar,
        phone,
        id_number,
        occupation,
        orientation,
        preferred_channel,
        source,
    )


def _draw_manager(
    run: Run, spec: dict | None, outlet: Outlet, first: Outlet, signed: str, assets: AssetPath
) -> str:
    """The primary manager (§2): none for most customers without a tier; for card holders
    mostly an account manager, sometimes the head (Diamond), a lobby manager or a teller
    (Gold), rarely nobody or the inactive manager (never at the first outlet)."""
    rand, qualified, adb12 = run.rand, assets.qualified, assets.adb12
    if not (signed or qualified):
        return ""
    roll = rand()
    if not signed:
        manager = _pick(rand, outlet.managers) if roll < 0.25 else ""
    elif roll < 0.05:
        manager = ""
    elif (signed == "diamond" or qualified == "diamond") and roll < 0.3:
        manager = outlet.head
    elif signed == "gold" and 200_000 <= adb12 < 500_000 and roll < 0.17:
        manager = _pick(rand, outlet.lobby)
    elif signed == "gold" and 100_000 <= adb12 < 200_000 and roll < 0.17:
        manager = _pick(rand, outlet.tellers)
    elif signed and roll > 0.998 and outlet is not first and outlet.inactive_used < 2:
        manager = outlet.inactive
        outlet.inactive_used += 1
    else:
        manager = _pick(rand, outlet.managers)
    if spec is not None and "manager" in spec:
        wanted = spec["manager"]
        if wanted is None:
            manager = ""
        elif wanted == "head":
            manager = outlet.head
        elif wanted == "inactive":
            manager = outlet.inactive
            outlet.inactive_used += 1
    if spec is not None and "manager" not in spec and not manager:
        manager = _pick(rand, outlet.managers)
    return manager


# --------------------------------------------------------------------------------------
# One customer's rows, stream by stream
# --------------------------------------------------------------------------------------


def _customer_row(customer: Customer) -> tuple:
    person = customer.identity
    return (
        customer.customer_id,
        person.name,
        person.gender,
        person.birth_date,
        person.birthday_calendar,
        person.phone,
        person.id_number,
        person.occupation,
        person.orientation,
        person.preferred_channel,
        customer.outlet.branch_id,
        customer.signed,
        customer.tier_since,
        customer.manager,
        person.source,
    )


def _gbk_row(customer: Customer, traditional: bool) -> list[str] | None:
    """The customer as the GBK extract writes it (Chinese labels, traditional or simplified
    script), or None when a field has no GBK encoding."""
    script = 0 if traditional else 1
    person = customer.identity
    row = [
        customer.customer_id,
        person.name,
        GBK_LABELS["gender"][person.gender][script],
        person.birth_date,
        GBK_LABELS["birthday_calendar"][person.birthday_calendar][script],
        person.phone,
        person.id_number,
        GBK_LABELS["occupation"][person.occupation][script],
        GBK_LABELS["orientation"][person.orientation][script],
        GBK_LABELS["preferred_channel"][person.preferred_channel][script],
        customer.outlet.branch_id,
        GBK_LABELS["tier"][customer.signed][script],
        customer.tier_since,
        customer.manager,
        GBK_LABELS["source"][person.source][script],
    ]
    try:
        ",".join(row).encode("gbk")
    except UnicodeEncodeError:
        return None
    return row


def _asset_lines(run: Run, customer: Customer) -> str:
    """monthly_assets.csv: one line per month with a row."""
    path, labels = customer.assets, run.months.labels
    return "".join(
        [
            f"{customer.customer_id},{labels[i]},{path.monthly_fen[i] / 100:.2f}\n"
            for i in range(len(labels))
            if i not in path.missing
        ]
    )


def _holding_rows(run: Run, customer: Customer) -> list[tuple]:
    """holdings.csv: an asset product of the band first, then others from the band's pool;
    amounts scale on the customer's balance; termed products mature after the reference
    date (rarely within a week)."""
    rand, band, level, spec = (
        run.rand,
        customer.assets.band,
        customer.assets.level,
        customer.special,
    )
    if band == 0:
        core, pool, count = CORE_LOW, POOL_LOW, 1 + int(rand() * 2)
    elif band == 1:
        core, pool, count = CORE_GOLD, POOL_GOLD, 1 + int(rand() * 4)
    else:
        core, pool, count = CORE_HIGH, POOL_HIGH, 2 + int(rand() * 4)
    if spec is not None and "maturity" in spec:
        chosen = [spec["maturity"][0]]
    else:
        chosen = [_pick(rand, core)]  # every customer holds some assets
    tries = 0
    while len(chosen) < count and tries < 12:
        tries += 1
        product = _pick(rand, pool)
        if product not in chosen:
            chosen.append(product)
    rows = []
    for product in chosen:
        category = CATEGORY[product]
        if category in ("e_banking", "service"):
            amount = 0
        elif category == "card":
            limit = {"P_PTXYK": 20_000, "P_JKXYK": 50_000, "P_BJXYK": 100_000}[product]
            amount = limit * (1 + int(rand() * 5)) * 100
        elif category == "loan":
            amount = (100 + int(rand() * 2900)) * 1000 * 100
        elif product == "P_HQCK":
            amount = int(level * (0.05 + 0.3 * rand()) * 100)
        else:
            amount = max(1000, int(level * (0.05 + 0.35 * rand()) / 100) * 100) * 100
        terms = TERMS.get(product)
        if terms:
            term = _pick(rand, terms)
            if spec is not None and "maturity" in spec and product == spec["maturity"][0]:
                matures_in = spec["maturity"][1]
            elif rand() < 0.004:
                matures_in = 1 + int(rand() * 7)
            else:
                matures_in = 1 + int(rand() * (term - 1))  # start stays before today
            maturity = run.ref_ord + matures_in
            start, end = run.iso(maturity - term), run.iso(maturity)
        else:
            start, end = run.iso(run.ref_ord - 30 - int(rand() * 2500)), ""
        rows.append((customer.customer_id, product, _money(amount), start, end))
    return rows


def _counter_visit(run: Run, customer: Customer) -> int | str | None:
    """Days since the customer's last counter business, for Gold customers (§9 lobby rules):
    None = never in the window; "any" = not constrained."""
    spec = customer.special
    if spec is not None and "counter" in spec:
        return spec["counter"]
    qualified = customer.assets.qualified
    if customer.signed == "gold" or (qualified == "gold" and customer.manager):
        roll = run.rand()
        if roll < 0.45:
            return 1 + int(run.rand() * 7)
        return 8 + int(run.rand() * 50) if roll < 0.85 else None
    return "any"


def _transaction_lines(run: Run, customer: Customer) -> str:
    """transactions.csv: the customer's business in the 60 days before the reference date,
    oldest first; Gold customers' counter visits as drawn by _counter_visit; a few large
    outflows among the rich."""
    rand, band, level, spec = (
        run.rand,
        customer.assets.band,
        customer.assets.level,
        customer.special,
    )
    if band == 0:
        count = int(rand() * 4)
    elif band == 1:
        count = int(rand() * 7)
    else:
        count = 1 + int(rand() * 8)
    counter = _counter_visit(run, customer)
    channels = run.txn_channels if counter == "any" else run.txn_channels_off_counter
    txns = []  # (days before the reference date, fen, channel)
    for _ in range(count):
        days_ago = 1 + int(rand() * 60)
        channel = _pick(rand, channels)
        if channel == "atm":
            amount = -(1 + int(rand() * 50)) * 100_00
        else:
            amount = min(int(level * (0.002 + 0.05 * rand()) * 100), 450_000_00)
            if rand() < 0.55:
                amount = -amount
        txns.append((days_ago, amount, channel))
    if isinstance(counter, int) and not isinstance(counter, bool):
        txns.append((counter, int(level * (0.002 + 0.02 * rand()) * 100), "counter"))
        # keep the stated day as the most recent counter business
        txns = [txn for txn in txns if txn[2] != "counter" or txn[0] >= counter]
    if band >= 2 and spec is None:
        roll = rand()
        if roll < 0.01:
            days_ago = 1 + int(rand() * 6)
            amount = -(500_000 + int(rand() * 1_500_000)) * 100
            txns.append((days_ago, amount, _pick(rand, run.txn_channels)))
        elif roll < 0.013:
            txns.append((1 + int(rand() * 6), -499_999_99, "online"))
    if spec is not None and "txn" in spec:
        txns.extend(spec["txn"])
    txns.sort(key=lambda txn: -txn[0])  # stable: same-day rows keep their order
    lines = []
    for days_ago, amount, channel in txns:
        run.txn_no += 1
        lines.append(
            f"T{run.txn_no:010d},{customer.customer_id},{run.iso(run.ref_ord - days_ago)},"
            f"{amount / 100:.2f},{channel}\n"
        )
    return "".join(lines)


def _contact_days(run: Run, customer: Customer) -> list[tuple[int, str]]:
    """(days ago, channel) of a managed customer's contacts over the last ~100 days: Diamond
    and Platinum on their cadence (§5) or lagging behind, a few neglected, the others now
    and then."""
    spec = customer.special
    if spec is not None and "contacts" in spec:
        return list(spec["contacts"])
    rand = run.rand
    tier = customer.signed or customer.assets.qualified
    contacts: list[tuple[int, str]] = []
    roll = rand()
    if roll < 0.04:
        pass  # neglected: no contact at all
    elif roll < 0.08:
        contacts.append((91 + int(rand() * 10), _pick(rand, run.contact_channels)))
    elif tier in ("diamond", "platinum"):
        # Periodic calls/meetings: most on cadence, some lagging behind.
        interval = 15 if tier == "diamond" else 7
        meeting_share = 0.3 if tier == "diamond" else 0.15
        days_ago = 1 + int(rand() * interval) if roll < 0.6 else interval + 1 + int(rand() * 30)
        while days_ago <= 100:
            channel = "meeting" if rand() < meeting_share else "phone"
            contacts.append((days_ago, channel))
            step = interval * (2 if channel == "meeting" else 1) * (0.8 + 0.3 * rand())
            days_ago += max(1, int(step))
        if rand() < 0.5:
            days_ago = 1 + int(rand() * 100)
            contacts.append((days_ago, "wechat" if rand() < 0.7 else "sms"))
    else:
        for _ in range(int(rand() * 2 * run.gold_contacts + 0.5)):
            days_ago = 1 + int(rand() * 100)
            contacts.append((days_ago, _pick(rand, run.contact_channels)))
    return contacts


def _contact_lines(run: Run, customer: Customer) -> str:
    """contacts.csv: the manager's contacts with the customer, oldest first."""
    if not customer.manager or run.contacts_per_customer <= 0:
        return ""
    contacts = _contact_days(run, customer)
    contacts.sort(key=lambda contact: -contact[0])
    lines = []
    middle = f",{customer.customer_id},{customer.manager},"
    for days_ago, channel in contacts:
        run.contact_no += 1
        time_of_day = _pick(run.rand, run.contact_times)
        text = _pick(run.rand, run.contact_texts)
        lines.append(
            f"CT{run.contact_no:09d}{middle}{run.iso(run.ref_ord - days_ago)}"
            f"{time_of_day},{channel},{text}\n"
        )
    return "".join(lines)


def _risk_row(run: Run, customer: Customer) -> tuple | None:
    """risk_assessments.csv: most customers with a tier have one, mostly within the year."""
    rand, spec = run.rand, customer.special
    has = rand() < (0.85 if (customer.signed or customer.assets.qualified) else 0.25)
    level = _pick(rand, run.risk_levels)
    days_ago = 1 + int(rand() * 365) if rand() < 0.82 else 366 + int(rand() * 700)
    if spec is not None and "risk" in spec:
        if spec["risk"] is None:
            has = False
        else:
            has, level, days_ago = True, str(spec["risk"][0]), spec["risk"][1]
    return (customer.customer_id, level, run.iso(run.ref_ord - days_ago)) if has else None


def _anniversary_row(run: Run, customer: Customer) -> tuple | None:
    """anniversaries.csv: a few customers with a tier have one recorded."""
    spec = customer.special
    if spec is not None and "anniversary" in spec:
        label, offset, year = spec["anniversary"]
        day = dt.date.fromordinal(run.ref_ord + offset)
        return (customer.customer_id, label, f"{year:04d}-{day.month:02d}-{day.day:02d}")
    if (customer.signed or customer.assets.qualified) and run.rand() < 0.03:
        day_ord = dt.date(1985 + int(run.rand() * 35), 1, 1).toordinal() + int(run.rand() * 365)
        return (customer.customer_id, _pick(run.rand, ANNIVERSARY_LABELS), run.iso(day_ord))
    return None


# --------------------------------------------------------------------------------------
# After-sales extracts (issue 15, §12 and §17): prices, loans, card statements, fund units
# --------------------------------------------------------------------------------------
# Drawn from a second random stream (AfterSales.rand), so the customers, assets, holdings,
# transactions and contacts above stay exactly as they were before issue 15.

PRICE_DAYS = 60  # calendar days of price rows before the reference date (weekdays only)
# Funds: code → (nav 60 days ago, daily drift). 股票型基金 falls ≈6% in its last week (the
# nav_move reason); 基金定投 paid a dividend three days before the reference date.
FUND_NAV = {"P_HBJJ": ("1.0000", 0.0), "P_JJB": ("1.4820", 0.0004), "P_JJDT": ("2.1035", 0.0002),
            "P_GPJJ": ("1.8760", 0.0), "P_YLJJ": ("1.0000", 0.0003)}
NAV_DROP = {"P_GPJJ": -0.0175}  # a day, over the last 4 trading days
DIVIDEND = {"P_JJDT": ("0.0150", 3)}  # per unit, days before the reference date
# Wealth products (and the money fund): code → annualised yield in %. 理财产品(平衡型)'s
# yield is cut by 25 bp on the last row (the yield_change reason); others move ≤ 5 bp.
YIELD = {"P_HBJJ": 1.82, "P_BLF": 2.35, "P_LC2": 2.90, "P_LC3": 3.85, "P_LC4": 4.40,
         "P_LC5": 5.10, "P_TTL": 2.60}
YIELD_CUT = {"P_LC3": -0.25}
CARD_BIN = "622202"
CARD_DUE_DAYS = 20  # a statement is due 20 days after its date
STATEMENTS = 3  # monthly statements per card in the extract


class AfterSales:
    """The second random stream and the running numbers of loans and cards."""

    def __init__(self, seed: int, ref: dt.date):
        self.rand = random.Random(seed * 31 + 15).random
        self.ref = ref
        self.loan_no = 0
        self.card_no = 0
        self.launch: dict[str, dt.date] = {}


def _price_rows(after: AfterSales, products: list[tuple]) -> list[tuple]:
    """prices.csv: weekday rows up to the day before the reference date, by product then date."""
    rand, ref = after.rand, after.ref
    launched = {row[0]: dt.date.fromisoformat(row[6]) for row in products}
    days = [ref - dt.timedelta(days=n) for n in range(PRICE_DAYS, 0, -1)]
    days = [d for d in days if d.weekday() < 5]
    rows: list[tuple] = []
    for code in sorted(set(FUND_NAV) | set(YIELD)):
        dates = [d for d in days if d >= launched[code]]
        nav_text, drift = FUND_NAV.get(code, (None, 0.0))
        nav = float(nav_text) if nav_text else None
        yield_pct = YIELD.get(code)
        for position, day in enumerate(dates):
            last_week = position >= len(dates) - 4
            if nav is not None and code != "P_HBJJ":
                step = drift + (rand() - 0.5) * 0.004
                if last_week and code in NAV_DROP:
                    step = NAV_DROP[code]
                nav *= 1 + step
            if yield_pct is not None:
                yield_pct += (rand() - 0.5) * 0.02  # ≤ 1 bp a day
                if position == len(dates) - 1 and code in YIELD_CUT:
                    yield_pct += YIELD_CUT[code]
            dividend = ""
            if code in DIVIDEND and day == ref - dt.timedelta(days=DIVIDEND[code][1]):
                dividend = DIVIDEND[code][0]
            rows.append((code, day.isoformat(), f"{nav:.4f}" if nav is not None else "",
                         f"{yield_pct:.2f}" if yield_pct is not None else "", dividend))
    return rows


def _latest_nav(prices: list[tuple]) -> dict[str, float]:
    return {row[0]: float(row[2]) for row in prices if row[2]}


def _fund_units(after: AfterSales, navs: dict[str, float], rows: list[tuple]) -> list[tuple]:
    """The holdings rows with their units: a fund's units are its cost (amount) at the nav it
    was bought at, drawn around today's (about 5 % sit at +20 % or more, 3 % at −10 % or less:
    the stop_profit and stop_loss reasons); other products have none."""
    out = []
    for row in rows:
        nav = navs.get(row[1])
        units = ""
        if nav is not None and row[1] != "P_HBJJ":
            draw = after.rand()
            if draw < 0.05:
                gain = 0.21 + 0.15 * after.rand()
            elif draw < 0.08:
                gain = -0.11 - 0.1 * after.rand()
            else:
                gain = -0.08 + 0.26 * after.rand()
            amount = float(row[2])
            units = f"{amount * (1 + gain) / nav:.4f}"
        elif row[1] == "P_HBJJ":
            units = f"{float(row[2]):.4f}"  # a money fund: one unit is ¥1
        out.append((*row, units))
    return out


def _loan_rows(after: AfterSales, rows: list[tuple]) -> list[tuple]:
    """loans.csv: one loan for each loan product held; about 4 % fall due within a week and
    3 % are overdue (the loan_due and loan_overdue reasons)."""
    rand, ref = after.rand, after.ref
    out = []
    for customer_id, code, amount, _start, maturity, _units in rows:
        if CATEGORY[code] != "loan":
            continue
        after.loan_no += 1
        principal = int(round(float(amount) * 100))
        balance = int(principal * (0.2 + 0.75 * rand()))
        due = maturity
        overdue_days, overdue = 0, 0
        draw = rand()
        if draw < 0.04:
            due = (ref + dt.timedelta(days=1 + int(rand() * 6))).isoformat()
        elif draw < 0.07:
            overdue_days = 1 + int(rand() * 45)
            overdue = max(100_00, principal // 120)  # about one month's instalment
        out.append((f"L{after.loan_no:08d}", customer_id, PRODUCT_NAME[code], _money(principal),
                    _money(balance), due, str(overdue_days), _money(overdue)))
    return out


def _card_rows(after: AfterSales, rows: list[tuple]) -> list[tuple]:
    """cards.csv: STATEMENTS monthly statements for each credit card held, due 20 days after
    the statement; the past ones are repaid, the current one mostly not yet (card_repayment
    when it falls due within the lead days)."""
    rand, ref = after.rand, after.ref
    out = []
    for customer_id, code, amount, _start, _maturity, _units in rows:
        if CATEGORY[code] != "card":
            continue
        after.card_no += 1
        card_no = f"{CARD_BIN}{after.card_no * 7919 % 10**10:010d}"
        cycle = 1 + int(rand() * 28)
        limit = int(round(float(amount) * 100))
        year, month = ref.year, ref.month
        if cycle > ref.day:
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        dates = []
        for _ in range(STATEMENTS):
            dates.append(dt.date(year, month, cycle))
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        for statement in reversed(dates):
            due = statement + dt.timedelta(days=CARD_DUE_DAYS)
            amount_due = int(limit * 0.6 * rand())
            min_due = amount_due // 10
            if due < ref:
                paid = amount_due if rand() < 0.9 else min_due
            else:
                paid = amount_due if rand() < 0.3 else 0
            out.append((card_no, customer_id, statement.isoformat(), due.isoformat(),
                        _money(amount_due), _money(min_due), _money(paid)))
    return out


# --------------------------------------------------------------------------------------
# The data set
# --------------------------------------------------------------------------------------

# Written customer by customer, all at once.
CUSTOMER_STREAMS = (
    "customers",
    "monthly_assets",
    "holdings",
    "transactions",
    "contacts",
    "risk_assessments",
    "anniversaries",
    "loans",
    "cards",
)


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
    paths = {kind: out_dir / f"{kind}.csv" for kind in HEADERS}
    paths["customers_gbk"] = out_dir / "customers_gbk.csv"
    paths["products_xlsx"] = out_dir / "products.xlsx"
    run = Run(seed, months, end_month, contacts_per_customer)

    branches, city_ids, outlet_ids = _branch_rows(customers)
    staff, outlets = _staff(run, city_ids, outlet_ids)
    _write_csv(paths["branches"], HEADERS["branches"], branches)
    _write_csv(paths["staff"], HEADERS["staff"], staff)
    products = _product_rows(run.ref)
    _write_csv(paths["products"], HEADERS["products"], products)
    _write_xlsx(paths["products_xlsx"], products)
    _write_csv(paths["cross_sell"], HEADERS["cross_sell"], CROSS_SELL)
    after = AfterSales(seed, run.ref)
    prices = _price_rows(after, products)
    _write_csv(paths["prices"], HEADERS["prices"], prices)
    gbk_rows = _write_customer_streams(run, outlets, customers, paths, after, _latest_nav(prices))
    with open(paths["customers_gbk"], "w", encoding="gbk", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(GBK_HEADER)
        writer.writerows(gbk_rows)
    return paths


def _write_customer_streams(
    run: Run, outlets: list[Outlet], customers: int, paths: dict[str, Path],
    after: AfterSales, navs: dict[str, float],
) -> list[list[str]]:
    """Draw the customers one by one and write each one's rows to every per-customer file;
    return the rows of the GBK extract (the first GBK_ROWS customers from "other" sources,
    alternating traditional and simplified labels).

    The three big files (assets, transactions, contacts) get pre-formatted lines: their fields
    never need quoting (ids, ISO dates, numbers, fixed texts without commas or quotes), so the
    bytes equal what csv.writer would write -- the unit test checks this."""
    files = {kind: _CsvFile(paths[kind], HEADERS[kind]) for kind in CUSTOMER_STREAMS}
    gbk_rows: list[list[str]] = []
    try:
        for index in range(1, customers + 1):
            customer = _draw_customer(run, outlets, index)
            files["customers"].rows.writerow(_customer_row(customer))
            if len(gbk_rows) < GBK_ROWS and customer.identity.source == "other":
                gbk_row = _gbk_row(customer, traditional=len(gbk_rows) % 2 == 0)
                if gbk_row is not None:
                    gbk_rows.append(gbk_row)
            files["monthly_assets"].file.write(_asset_lines(run, customer))
            holdings = _fund_units(after, navs, _holding_rows(run, customer))
            files["holdings"].rows.writerows(holdings)
            files["loans"].rows.writerows(_loan_rows(after, holdings))
            files["cards"].rows.writerows(_card_rows(after, holdings))
            files["transactions"].file.write(_transaction_lines(run, customer))
            files["contacts"].file.write(_contact_lines(run, customer))
            risk = _risk_row(run, customer)
            if risk is not None:
                files["risk_assessments"].rows.writerow(risk)
            anniversary = _anniversary_row(run, customer)
            if anniversary is not None:
                files["anniversaries"].rows.writerow(anniversary)
    finally:
        for out in files.values():
            out.close()
    return gbk_rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=HERE, help="output directory (default: sample_data/)"
    )
    parser.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--months", type=int, default=DEFAULT_MONTHS)
    parser.add_argument("--end-month", default=DEFAULT_END_MONTH, help="last asset month, YYYY-MM")
    parser.add_argument("--contacts-per-customer", type=int, default=DEFAULT_CONTACTS_PER_CUSTOMER)
    args = parser.parse_args(argv)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.end_month):
        parser.error("--end-month must be YYYY-MM")
    started = time.perf_counter()
    paths = generate(
        args.out, args.customers, args.seed, args.months, args.end_month, args.contacts_per_customer
    )
    took = time.perf_counter() - started
    print(
        f"wrote {len(paths)} files to {args.out} in {took:.1f}s "
        f"(reference date {_reference_date(args.end_month)})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
