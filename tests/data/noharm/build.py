"""Build the no-harm corpus: clean strings in many scripts that encoding repair must leave alone.

    pip install faker pypinyin       # generation only; the corpus itself is committed
    python tests/data/noharm/build.py

Writes ``tests/data/noharm/noharm.jsonl``, one JSON object a line: ``id``, ``lang`` (a Faker
locale or ``zh`` for the hand-written templates), ``script``, ``kind``, ``text``, ``source``
and ``half`` (``tune`` or ``test``, from a hash of the id: constants are never chosen on
``test``). Everything is seeded, so a rerun with the same Faker version gives the same file.
Nothing here comes from ``seeds/``: names, addresses and sentences are Faker's (MIT), the
Chinese carrier sentences and symbol phrases are written for this corpus, pinyin comes from
pypinyin (MIT). See SOURCES.md.
"""

from __future__ import annotations

import hashlib
import json
import random
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import faker
from pypinyin import Style, pinyin

OUT = Path(__file__).with_name("noharm.jsonl")
SEED = 14

#: Faker locales and the script their names and addresses are written in.
LOCALES = {
    "ja_JP": "Japanese (kanji+kana)",
    "ko_KR": "Hangul",
    "ru_RU": "Cyrillic",
    "uk_UA": "Cyrillic",
    "bg_BG": "Cyrillic",
    "el_GR": "Greek",
    "de_DE": "Latin",
    "fr_FR": "Latin",
    "vi_VN": "Latin (Vietnamese)",
    "pl_PL": "Latin",
    "cs_CZ": "Latin",
    "sk_SK": "Latin",
    "hu_HU": "Latin",
    "tr_TR": "Latin",
    "ro_RO": "Latin",
    "hr_HR": "Latin",
    "lt_LT": "Latin",
    "lv_LV": "Latin",
    "is_IS": "Latin",
    "es_ES": "Latin",
    "pt_BR": "Latin",
    "it_IT": "Latin",
    "sv_SE": "Latin",
    "da_DK": "Latin",
    "fi_FI": "Latin",
    "th_TH": "Thai",
    "ar_AA": "Arabic",
    "fa_IR": "Arabic (Persian)",
    "he_IL": "Hebrew",
    "hi_IN": "Devanagari",
    "hy_AM": "Armenian",
    "ka_GE": "Georgian",
    "zh_CN": "Han (Simplified)",
    "zh_TW": "Han (Traditional)",
    "en_US": "Latin (ASCII)",
}
PER_LOCALE = {"name": 30, "address": 14, "sentence": 12, "company": 8, "city": 8}

#: Chinese carrier sentences (written for this corpus) with a slot for a foreign name or word.
CARRIERS = [
    "这家咖啡馆叫 {x}，位于北京东城区。",
    "记者从{x}获悉，相关项目将于明年启动。",
    "据{x}介绍，今年的展览共吸引了三万名观众。",
    "参加会议的还有{x}等多位外国专家。",
    "{x}表示，双方将继续加强在教育领域的合作。",
    "她的新书《{x}》已经翻译成中文出版。",
    "这位名叫{x}的工程师在上海工作了五年。",
    "本届电影节的最佳导演奖授予了 {x}。",
    "我们在{x}见面，一起讨论了合作方案。",
    "留学生代表（{x}）在开幕式上发言。",
    "地址：{x}",
    "联系人：{x}，电话另行通知。",
    "展品来自{x}的一家私人博物馆。",
    "乐队主唱 {x} 说：“能来中国演出很高兴。”",
    "他把“{x}”这个词写在了黑板上。",
    "這家餐廳的老闆叫 {x}，來自歐洲。",
    "據{x}表示，新館將於秋季開放。",
    "書中人物{x}的原型是作者的祖父。",
    "展覽介紹了{x}的生平和作品。",
    "译者注：{x}是当地的一种传统节日。",
]
#: sentences with a slot for a name with rare but valid characters.
NAME_CARRIERS = [
    "{x}同学获得了本次比赛的一等奖。",
    "主持人：{x}",
    "责任编辑：{x}",
    "{x}，女，1998年出生，现为研究生。",
    "本文作者{x}是一名中学教师。",
    "感谢{x}老师的指导。",
    "獲獎者名單：{x}、{y}、{z}。",
    "{x}在会上介绍了研究进展。",
    "新生代表{x}和{y}上台领奖。",
    "記者 {x} 報道",
]
RARE_NAME_CHARACTERS = (
    "喆昶珺彧鎔瑄玥梓堃淼燚犇骉晔昕璟琰珏玙翀暐曌婳頔祎炜煜熠沨洺湉瀞璇琮璠钰铧锘镕垚埕堉岱崟嵘旻昀晞暄曦"
    "樾栎楠槿湜溱潇澍濛灏炅焓熹燊珩琛琨瑾璐璘皓禛祺筠箐绮缇翕聿芃苒菁萱蓁蕤薏觐赟迩邕郗钊铎阆霈霖韫颀馨骞鸾麒"
    "瑆玮婧姝娴妤媛婕琪瑶璎玲珊珣珮琦璞瑢瑀璨"
)
COMMON_NAME_CHARACTERS = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志文"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
#: Chinese words and place names for pinyin glosses.
PINYIN_WORDS = [
    "北京", "上海", "广州", "深圳", "成都", "西安", "杭州", "南京", "武汉", "重庆", "长城", "故宫", "饺子", "豆腐",
    "功夫", "太极", "关系", "面子", "春节", "中秋", "熊猫", "茶馆", "胡同", "四合院", "黄河", "长江", "泰山", "黄山",
    "包子", "火锅", "普通话", "汉字", "书法", "京剧", "风水", "麻将", "旗袍", "红包", "元宵", "端午",
]  # fmt: skip
#: symbol phrases (written for this corpus); {n} a number.
SYMBOL_PHRASES = [
    "今天最高气温{n}℃，最低气温{m}℃。",
    "测量误差为±{n}毫米。",
    "门票售价€{n}，学生半价。",
    "The ticket costs £{n} (about €{m}).",
    "Offering {n}×£{m} gift cards this week.",
    "面积约{n}m²，层高{m}米。",
    "尺寸：{n}×{m}×12 cm",
    "NESTLÉ® 和 Coca-Cola® 都是注册商标。",
    "Windows® and Office™ are trademarks of Microsoft®.",
    "该产品的含量为{n}‰。",
    "电阻为{n}Ω，电压{m}V。",
    "α粒子和β射线的穿透能力不同。",
    "角度为{n}°，误差小于{m}′。",
    "人民币符号是¥，日元也用¥表示。",
    "见第{n}条第②款及§{m}。",
    "速度 ≈ {n} km/h，加速度 ≥ {m} m/s²。",
    "Die Temperatur liegt bei {n} °C ± {m} °C.",
    "Prix : {n} € TTC — livraison offerte.",
    "价格从${n}涨到了${m}（约合人民币）。",
    "© {n} 版权所有，保留一切权利。",
    "粒径为{n}µm，浓度{m}µg/L。",
    "第①步：打开阀门；第②步：记录读数。",
    "x² + y² = {n}，其中 x ≠ 0。",
    "营业时间：周一至周五 9:00–17:{n}",
    "Größe: {n} × {m} mm, Gewicht: ½ kg",
]
#: English and German sentences with ASCII punctuation, which must keep it (no Chinese around).
LATIN_SENTENCE_LOCALES = ("en_US", "de_DE", "fr_FR", "es_ES")


def _id(kind: str, index: int, lang: str) -> str:
    return f"{lang}-{kind}-{index:04d}"


def half_of(item_id: str) -> str:
    """``tune`` or ``test``, by a hash of the id: the test half is never used to choose constants."""
    return "test" if int(hashlib.sha1(item_id.encode("utf-8")).hexdigest(), 16) % 2 else "tune"


def _one_line(text: str) -> str:
    return ", ".join(part.strip() for part in text.splitlines() if part.strip())


def _faker_items() -> Iterator[dict[str, str]]:
    for lang, script in LOCALES.items():
        fake = faker.Faker(lang)
        fake.seed_instance(SEED)
        makers: dict[str, Callable[[], str]] = {
            "name": fake.name,
            "address": fake.address,
            "sentence": lambda f=fake: f.sentence(nb_words=10),
            "company": fake.company,
            # Chinese writes a city before its street, with no comma; other locales "street, city"
            "city": (lambda f=fake: f"{f.city()}{f.street_name()}")
            if lang.startswith("zh")
            else (lambda f=fake: f"{f.street_name()}, {f.city()}"),
        }
        for kind, count in PER_LOCALE.items():
            seen: set[str] = set()
            for index in range(count * 3):
                if len(seen) == count:
                    break
                text = _one_line(makers[kind]())
                if text in seen:
                    continue
                seen.add(text)
                yield {
                    "id": _id(kind, index, lang),
                    "lang": lang,
                    "script": script,
                    "kind": kind,
                    "text": text,
                    "source": f"faker {faker.VERSION} {lang} {kind}",
                }


def _foreign_word(rng: random.Random, fakers: dict[str, faker.Faker]) -> tuple[str, str]:
    lang = rng.choice([lang for lang in LOCALES if not lang.startswith("zh")])
    fake = fakers[lang]
    choice = rng.random()
    if choice < 0.6:
        return fake.name(), lang
    if choice < 0.8:
        return fake.city(), lang
    return fake.company(), lang


def _carrier_items(rng: random.Random) -> Iterator[dict[str, str]]:
    fakers = {lang: faker.Faker(lang) for lang in LOCALES}
    for index, fake in enumerate(fakers.values()):
        fake.seed_instance(SEED + index)
    for index in range(900):
        carrier = CARRIERS[index % len(CARRIERS)]
        word, lang = _foreign_word(rng, fakers)
        yield {
            "id": _id("foreign_in_chinese", index, lang),
            "lang": lang,
            "script": f"Han + {LOCALES[lang]}",
            "kind": "foreign_in_chinese",
            "text": carrier.format(x=_one_line(word)),
            "source": f"template (this corpus) + faker {faker.VERSION} {lang}",
        }


def _rare_name(rng: random.Random) -> str:
    given = rng.choice(RARE_NAME_CHARACTERS)
    if rng.random() < 0.6:
        other = rng.choice(RARE_NAME_CHARACTERS + COMMON_NAME_CHARACTERS)
        given = given + other if rng.random() < 0.5 else other + given
    return rng.choice(SURNAMES) + given


def _rare_name_items(rng: random.Random) -> Iterator[dict[str, str]]:
    for index in range(300):
        carrier = NAME_CARRIERS[index % len(NAME_CARRIERS)]
        text = carrier.format(x=_rare_name(rng), y=_rare_name(rng), z=_rare_name(rng))
        yield {
            "id": _id("rare_name", index, "zh"),
            "lang": "zh",
            "script": "Han",
            "kind": "rare_name",
            "text": text,
            "source": "template (this corpus), characters from name lists",
        }


def _tone_pinyin(word: str, capital: bool) -> list[str]:
    syllables = [reading[0] for reading in pinyin(word, style=Style.TONE)]
    return [s.capitalize() for s in syllables] if capital else syllables


def _pinyin_items(rng: random.Random) -> Iterator[dict[str, str]]:
    fake = faker.Faker("zh_CN")
    fake.seed_instance(SEED)
    forms = [
        ("bare_name", lambda w, s: f"{' '.join(_tone_pinyin(w, True))}"),
        ("bare_in_english", lambda w, s: f"We visited {''.join(_tone_pinyin(w, True))} last spring."),
        ("gloss_ascii", lambda w, s: f"{s}{w}({' '.join(_tone_pinyin(w, False))})是很常见的词。"),
        ("gloss_fullwidth", lambda w, s: f"{w}（{''.join(_tone_pinyin(w, True))}）{s}"),
        ("gloss_name", lambda w, s: f"本报记者{w}({' '.join(_tone_pinyin(w, False))})报道"),
        ("gloss_name_capital", lambda w, s: f"{w}（{' '.join(_tone_pinyin(w, True))}）"),
    ]
    for index in range(240):
        kind, form = forms[index % len(forms)]
        word = fake.name() if "name" in kind else rng.choice(PINYIN_WORDS)
        suffix = rng.choice(["", "，", "。", "一词"])
        yield {
            "id": _id(f"pinyin_{kind}", index, "zh"),
            "lang": "zh",
            "script": "Han + pinyin",
            "kind": f"pinyin_{kind}",
            "text": form(word, suffix),
            "source": f"template (this corpus), pypinyin readings, faker {faker.VERSION} zh_CN names",
        }


def _symbol_items(rng: random.Random) -> Iterator[dict[str, str]]:
    for index in range(250):
        phrase = SYMBOL_PHRASES[index % len(SYMBOL_PHRASES)]
        text = phrase.format(n=rng.randint(2, 99), m=rng.randint(2, 99))
        yield {
            "id": _id("symbols", index, "zh"),
            "lang": "zh" if any(unicodedata.name(c, "").startswith("CJK") for c in text) else "en",
            "script": "symbols",
            "kind": "symbols",
            "text": text,
            "source": "template (this corpus)",
        }


def _latin_sentence_items() -> Iterator[dict[str, str]]:
    for lang in LATIN_SENTENCE_LOCALES:
        fake = faker.Faker(lang)
        fake.seed_instance(SEED)
        for index in range(50):
            words = fake.words(nb=8)
            shapes = [
                f"{fake.name()}: {' '.join(words[:4])}, {' '.join(words[4:])}!",
                f"{' '.join(words[:3]).capitalize()} ({' '.join(words[3:5])}); {' '.join(words[5:])}?",
                f"“{' '.join(words[:4]).capitalize()},” said {fake.first_name()}: “{' '.join(words[4:])}.”",
                f"{fake.name()} ({fake.city()}): {fake.sentence(nb_words=6)}",
            ]
            yield {
                "id": _id("ascii_punctuation", index, lang),
                "lang": lang,
                "script": LOCALES[lang],
                "kind": "ascii_punctuation",
                "text": shapes[index % len(shapes)],
                "source": f"faker {faker.VERSION} {lang} words, names",
            }


def build() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    items = [
        *_faker_items(),
        *_carrier_items(rng),
        *_rare_name_items(rng),
        *_pinyin_items(rng),
        *_symbol_items(rng),
        *_latin_sentence_items(),
    ]
    seen: set[str] = set()
    for item in items:
        assert item["id"] not in seen, item["id"]
        seen.add(item["id"])
        item["half"] = half_of(item["id"])
    return items


def main() -> None:
    items = build()
    with OUT.open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    langs = {item["lang"] for item in items}
    print(f"wrote {len(items)} strings in {len(langs)} languages to {OUT}")


if __name__ == "__main__":
    main()
