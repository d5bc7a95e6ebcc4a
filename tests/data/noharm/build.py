"""Build the no-harm corpus: clean strings in many scripts that encoding repair must leave alone.

    pip install faker pypinyin       # generation only; the corpus itself is committed
    python -m benchmarks.script --install   # official OpenCC 1.4.2, the reference for expected_pipeline
    python tests/data/noharm/build.py
    python tests/data/noharm/build.py --annotate   # only recompute the pipeline fields of the committed file

Writes ``tests/data/noharm/noharm.jsonl``, one JSON object a line: ``id``, ``lang`` (a Faker
locale or ``zh`` for the hand-written templates), ``script``, ``kind``, ``text``, ``source``
and ``half`` (``tune`` or ``test``, from a hash of the id: constants are never chosen on
``test``). Everything is seeded, so a rerun with the same Faker version gives the same file.

The default pipeline's truth, beside the encoding stage's (``text`` unchanged), comes from where a string
comes from, never from cleanse: ``expected_pipeline`` is official OpenCC's ``tw2s`` conversion of a string
written in Traditional Chinese (Faker ``zh_TW`` and the Traditional carriers), which the pipeline converts to
Simplified by design; ``pipeline`` marks a string the pipeline check leaves out, with ``pipeline_why``
(page furniture, word salad, Japanese that cannot be told from Chinese). See SOURCES.md.
Nothing here comes from ``seeds/``: names, addresses and sentences are Faker's (MIT), the
Chinese carrier sentences and symbol phrases are written for this corpus, pinyin comes from
pypinyin (MIT). See SOURCES.md.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("noharm.jsonl")
ROOT = Path(__file__).resolve().parents[3]
OPENCC_DATA = ROOT / "cleanse" / "data" / "script" / "opencc"
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
    import faker

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


def _foreign_word(rng: random.Random, fakers: dict[str, Any]) -> tuple[str, str]:
    lang = rng.choice([lang for lang in LOCALES if not lang.startswith("zh")])
    fake = fakers[lang]
    choice = rng.random()
    if choice < 0.6:
        return fake.name(), lang
    if choice < 0.8:
        return fake.city(), lang
    return fake.company(), lang


def _carrier_items(rng: random.Random) -> Iterator[dict[str, str]]:
    import faker

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
    from pypinyin import Style, pinyin

    syllables = [reading[0] for reading in pinyin(word, style=Style.TONE)]
    return [s.capitalize() for s in syllables] if capital else syllables


def _pinyin_items(rng: random.Random) -> Iterator[dict[str, str]]:
    import faker

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
    import faker

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


TRADITIONAL_CARRIERS = frozenset(
    index
    for index, carrier in enumerate(CARRIERS)
    if "這" in carrier or "據" in carrier or "書" in carrier or "覽" in carrier
)
TRADITIONAL_NAME_CARRIERS = frozenset({6, 9})
#: carriers whose strings are page furniture by design: a credit line is what a cleaner removes from a page.
FURNITURE_NAME_CARRIERS = {
    2: "an editor's credit line (责任编辑：NAME): page furniture, set aside by the spam stage by design",
    9: "a reporter's byline (記者 NAME 報道) on a line of its own: page furniture, set aside by design",
}
FURNITURE_SYMBOL_PHRASES = {
    19: "a copyright notice (© N 版权所有，保留一切权利。): page furniture, dropped by the spam stage by design",
}
WORD_SALAD = (
    "Faker's zh_CN/zh_TW sentence() strings Faker words from a keyword list with an ASCII full stop, no "
    "grammar (首页 广告 登录 ...): junk by design, which the spam stage may drop"
)
KANA_RANGES = ((0x3041, 0x309F), (0x30A1, 0x30FA), (0x30FD, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9D))


def _index(item: dict[str, str]) -> int:
    return int(item["id"].rsplit("-", 1)[1])


def traditional_frame(item: dict[str, str]) -> bool:
    """Written in Traditional Chinese by origin: Faker zh_TW, or a Traditional carrier sentence."""
    if item["lang"] == "zh_TW" and item["kind"] != "foreign_in_chinese":
        return True
    if item["kind"] == "foreign_in_chinese":
        return _index(item) % len(CARRIERS) in TRADITIONAL_CARRIERS
    if item["kind"] == "rare_name":
        return _index(item) % len(NAME_CARRIERS) in TRADITIONAL_NAME_CARRIERS
    return False


def _opencc_characters(name: str) -> dict[str, list[str]]:
    table = {}
    for line in (OPENCC_DATA / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, values = line.partition("\t")
            table[key] = values.split(" ")
    return table


def japanese_evidence(text: str) -> bool:
    """Kana, or a Japanese shinjitai form (OpenCC JPShinjitaiCharacters.txt) no Chinese OpenCC table uses.

    Computed here from OpenCC's files, not by cleanse's detector, so the corpus does not take its truth
    from the code it measures.
    """
    if any(low <= ord(char) <= high for char in text for low, high in KANA_RANGES):
        return True
    return any(char in _japanese_forms() for char in text)


_FORMS: set[str] = set()


def _japanese_forms() -> set[str]:
    if not _FORMS:
        chinese: set[str] = set()
        for name in (
            "TSCharacters.txt",
            "STCharacters.txt",
            "TWVariants.txt",
            "HKVariants.txt",
            "TWVariantsRev.txt",
            "HKVariantsRev.txt",
            "STPhrases.txt",
            "TSPhrases.txt",
            "TWPhrases.txt",
            "HKPhrases.txt",
            "TWVariantsPhrases.txt",
            "HKVariantsPhrases.txt",
        ):
            for key, values in _opencc_characters(name).items():
                chinese.update(key, *values)
        shinjitai = _opencc_characters("JPShinjitaiCharacters.txt")
        _FORMS.update(form for form, old in shinjitai.items() if len(form) == 1 and form not in old)
        _FORMS.difference_update(chinese)
    return _FORMS


def official_tw2s() -> Callable[[str], str]:
    """Official OpenCC 1.4.2 (the benchmarks' install), ``tw2s``: the configuration the script stage uses."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.script import load_isolated

    return load_isolated("opencc-official").OpenCC("tw2s").convert  # type: ignore[no-any-return]


def pipeline_fields(item: dict[str, str], tw2s: Callable[[str], str]) -> dict[str, str]:
    """What the default pipeline must output for ``item``, or why the pipeline check leaves it out."""
    kind, text = item["kind"], item["text"]
    if kind == "rare_name" and _index(item) % len(NAME_CARRIERS) in FURNITURE_NAME_CARRIERS:
        return {"pipeline": "furniture", "pipeline_why": FURNITURE_NAME_CARRIERS[_index(item) % len(NAME_CARRIERS)]}
    if kind == "symbols" and _index(item) % len(SYMBOL_PHRASES) in FURNITURE_SYMBOL_PHRASES:
        return {"pipeline": "furniture", "pipeline_why": FURNITURE_SYMBOL_PHRASES[_index(item) % len(SYMBOL_PHRASES)]}
    if kind == "sentence" and item["lang"] in ("zh_CN", "zh_TW"):
        return {"pipeline": "junk", "pipeline_why": WORD_SALAD}
    converted = tw2s(text)
    japanese = item["lang"] == "ja_JP"
    if japanese and converted != text and traditional_frame(item):
        return {
            "pipeline": "ambiguous_script",
            "pipeline_why": "a Japanese name or place in a Traditional Chinese sentence: the frame is converted "
            "to Simplified, but a line with kana or a Japanese-only form is kept as written, so neither output "
            "is wrong",
        }
    if japanese and converted != text and not japanese_evidence(text):
        return {
            "pipeline": "ambiguous_script",
            "pipeline_why": "Japanese in kanji only (no kana, no Japanese-only form): cannot be told from "
            "Traditional Chinese, which the pipeline converts",
        }
    if traditional_frame(item) and converted != text:
        return {"expected_pipeline": converted}
    return {}


def annotate(items: list[dict[str, str]]) -> list[dict[str, str]]:
    """Add ``split`` and the pipeline fields; drop earlier pipeline fields first."""
    tw2s = official_tw2s()
    annotated = []
    for item in items:
        base = {key: value for key, value in item.items() if key not in PIPELINE_FIELDS}
        base["split"] = "dev" if base["half"] == "tune" else "test"
        base["run"] = "alone"  # independent test strings, many near-duplicates by construction
        annotated.append({**base, **pipeline_fields(base, tw2s)})
    return annotated


PIPELINE_FIELDS = ("split", "run", "expected_pipeline", "pipeline", "pipeline_why")


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
    if "--annotate" in sys.argv[1:]:
        items = annotate([json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines() if line])
    else:
        items = annotate(build())
    with OUT.open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    langs = {item["lang"] for item in items}
    print(f"wrote {len(items)} strings in {len(langs)} languages to {OUT}")


if __name__ == "__main__":
    main()
