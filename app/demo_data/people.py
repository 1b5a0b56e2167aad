"""Deterministic fictitious people: names, ID numbers with a valid check digit, mobiles, addresses.

Customer ``i`` under seed ``s`` is always the same person, so the customer simulator can call from
``demo_caller_numbers(n)`` without reading the database."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from app.validation import id_check_digit

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "慕容")
GIVEN = (
    "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红建国志文辉鹏宇浩然婷雪琳晨欣怡子涵梓轩一诺思远"
    "嘉怡佳俊博雨桐海燕春梅晓东晓红立新建华永刚凤英秀兰丹丹昊天诗涵若曦宏伟德明淑珍金凤翠花振华"
)
# (province, city, district, area code of the district)
PLACES = (
    ("北京市", "北京市", "朝阳区", "110105"), ("北京市", "北京市", "海淀区", "110108"),
    ("上海市", "上海市", "浦东新区", "310115"), ("上海市", "上海市", "徐汇区", "310104"),
    ("广东省", "广州市", "天河区", "440106"), ("广东省", "深圳市", "南山区", "440305"),
    ("浙江省", "杭州市", "西湖区", "330106"), ("江苏省", "南京市", "鼓楼区", "320106"),
    ("四川省", "成都市", "武侯区", "510107"), ("湖北省", "武汉市", "洪山区", "420111"),
    ("山东省", "济南市", "历下区", "370102"), ("河南省", "郑州市", "金水区", "410105"),
    ("陕西省", "西安市", "雁塔区", "610113"), ("福建省", "厦门市", "思明区", "350203"),
    ("天津市", "天津市", "南开区", "120104"), ("重庆市", "重庆市", "渝中区", "500103"),
)
PLATE_PREFIX = {"北京市": "京", "上海市": "沪", "广东省": "粤", "浙江省": "浙", "江苏省": "苏", "四川省": "川",
                "湖北省": "鄂", "山东省": "鲁", "河南省": "豫", "陕西省": "陕", "福建省": "闽", "天津市": "津",
                "重庆市": "渝"}
STREETS = ("人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "长江路", "文化路", "科技路", "滨江大道")
MOBILE_PREFIXES = ("135", "136", "137", "138", "139", "150", "151", "158", "186", "187", "188", "177", "199")
_MOBILE_STEP = 37_540_757  # coprime with 10**8: i -> a distinct 8-digit suffix for every i below 10**8


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    id_number: str
    birth_date: date
    mobile: str
    email: str | None
    province: str
    city: str
    district: str
    detail: str
    language: str
    vip: int
    home_phone: str | None
    bank_card: str | None


def rng_for(seed: int, kind: str, i: int) -> random.Random:
    """Return the random stream of one record; the same (seed, kind, i) always gives the same stream."""
    return random.Random(f"{seed}:{kind}:{i}")


def fast_rng(seed: int, stream: int, i: int) -> random.Random:
    """Like ``rng_for`` with an integer seed, which is several times cheaper to set up."""
    return random.Random((seed << 40) ^ (stream << 34) ^ i)


def mobile_of(seed: int, i: int) -> str:
    """Return customer ``i``'s mobile: unique for i below 10**8."""
    suffix = (i * _MOBILE_STEP + seed * 7919) % 10**8
    return MOBILE_PREFIXES[(i + seed) % len(MOBILE_PREFIXES)] + f"{suffix:08d}"


def chinese_name(r: random.Random) -> str:
    surname = r.choice(COMPOUND) if r.random() < 0.01 else r.choice(SURNAMES)
    return surname + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2, 2))))


def resident_id(r: random.Random, area: str, born: date) -> str:
    first17 = f"{area}{born:%Y%m%d}{r.randrange(1000):03d}"
    return first17 + id_check_digit(first17)


def person(seed: int, i: int) -> Person:
    """Return customer ``i``: born 1950-2005, living in one of the listed cities."""
    r = rng_for(seed, "customer", i)
    province, city, district, area = r.choice(PLACES)
    born = date(1950, 1, 1) + timedelta(days=r.randrange(365 * 55))
    name = chinese_name(r)
    detail = f"{r.choice(STREETS)}{r.randrange(1, 999)}号{r.randrange(1, 30)}栋{r.randrange(1, 6)}单元{r.randrange(101, 2899)}室"
    return Person(
        name=name, id_number=resident_id(r, area, born), birth_date=born, mobile=mobile_of(seed, i),
        email=f"user{i}@example.com" if r.random() < 0.4 else None,
        province=province, city=city, district=district, detail=detail,
        language="yue" if province == "广东省" and r.random() < 0.3 else ("en" if r.random() < 0.02 else "zh"),
        vip=r.choice((0, 0, 0, 0, 1, 1, 2, 3)),
        home_phone=f"0{r.randrange(10, 99)}{r.randrange(10**7, 10**8)}" if r.random() < 0.15 else None,
        bank_card=f"62{r.randrange(10**16, 10**17)}" if r.random() < 0.5 else None,
    )
