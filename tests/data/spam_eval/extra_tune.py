"""Build ``tune_extra.jsonl``: more tuning lines for the junk kinds whose tuning templates were too few to learn from.

The tuning half (``tune.jsonl``, made by ``generate.py``) has three or four templates per junk kind, so the
line model learned those wordings and little of the kind. This file adds tuning lines of four kinds (sales
promotions, previous/next navigation, group-chat invitations, game cheat and private-server ads) written for
cleanse after the shapes such lines take on public web pages: the page-turn bars of common CMS templates
(DedeCMS, PHPCMS, Discuz!, WordPress themes: "上一篇/下一篇", "上一条/下一条", "上一章/下一章", numbered page bars),
the group-chat and QR-code invitations under WeChat and forum posts, shop-promotion banners (price cuts,
coupons, free delivery, Taiwanese "免運/超取"), and the private-server and cheat ads of game forums. None is
copied from the test half (``test.jsonl`` and the ``TEST`` templates are never read here).

Every line is placed in article context like the generated set: article paragraphs of the tuning half's own
documents (``tune.jsonl``, never the test half), re-mixed into new documents, with 2-5 junk lines at random
places; some documents also get a news sentence that mentions the same vocabulary (a police case on game
cheats, a sales statistic), labelled article, so the model also learns what it must keep. A share of the
lines is converted to Traditional (OpenCC ``s2twp``) and the parts are set apart like ``generate.py`` does.

Run from the repository root: ``python tests/data/spam_eval/extra_tune.py`` (needs ``opencc``, a cleanse
dependency). The output is committed.
"""

from __future__ import annotations

import json
import random
import string
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEED = 20261208
PER_KIND = 60

POOLS: dict[str, list[str]] = {
    "product": [
        "保湿霜",
        "电饭煲",
        "充电宝",
        "洗衣液",
        "牛仔裤",
        "智能手表",
        "茶叶礼盒",
        "儿童书包",
        "按摩椅",
        "床上四件套",
    ],
    "title": [
        "全市推进老旧小区改造工作",
        "农业农村部部署春耕生产",
        "我省召开安全生产电视电话会议",
        "高校毕业生就业服务周启动",
        "气象台发布寒潮蓝色预警",
        "文化惠民演出走进社区",
        "铁路部门加开临时旅客列车",
        "市场监管局开展食品安全检查",
    ],
    "game": [
        "传奇私服",
        "天龙八部私服",
        "梦幻西游私服",
        "热血江湖私服",
        "王者荣耀",
        "和平精英",
        "英雄联盟",
        "穿越火线",
    ],
    "chapter": ["第十二章", "第三章", "第八十八章", "第一百零五章"],
}

TEMPLATES: dict[str, list[str]] = {
    "sales_promo": [
        "{product} 原价{price}元 现价{low}元 仅限今天",
        "年终大促 {product} 全场{digit}折起 满{price}减{low}",
        "领券立减{low}元 {product} 到手价{price} 链接:{url}",
        "{product} 第二件半价 假一赔十 全国包邮",
        "双十一狂欢 {product} 直降{low}元 库存有限 售完即止",
        "工厂直供 {product} 批发价{price}元 支持一件代发 {wx}",
        "{product} 跳楼价亏本清仓 拍下即发 顺丰包邮",
        "新店开业 全场满{price}送{low} {product} 限量抢购",
        "{product} 特惠价{price}元 免运费 超商取货 数量有限",
        "团购{product} 会员价{low}元 下单送赠品 {url}",
        "点击抢购 {product} 券后价{low}元 7天无理由退换",
        "{product} 现货秒发 专柜正品 支持验货 货到付款",
    ],
    "prev_next_nav": [
        "上一条: {title} 下一条: {title}",
        "上一章 目录 下一章",
        "{chapter} 上一章 返回目录 下一章 加入书签",
        "上篇: {title} 下篇: {title}",
        "首页 上一页 {digit} {digit2} 下一页 末页 共{num}页",
        "« 上一篇 {title}   下一篇 {title} »",
        "前一页 1 2 3 4 5 后一页 跳转到第 页",
        "上一主题 下一主题 返回列表 回到顶部",
        "上一张 下一张 查看原图 返回图集",
        "上一篇文章: {title} 下一篇文章: 没有了",
        "第一页 上一页 下一页 最后一页 转到",
        "回上页 回首页 回顶端",
    ],
    "chat_group": [
        "欢迎加入读者交流群 群号{qq} 备注来源",
        "扫码加入粉丝群 每日福利 群满请加小编微信{wx}",
        "想进群的朋友 添加助手微信{wx} 拉你进群",
        "官方玩家交流QQ群:{qq} 进群领取礼包",
        "加入LINE社群 獲取第一手消息 ID:{handle}",
        "抢红包福利群 长按识别二维码进群",
        "学习资料免费领 扫码进群 入群暗号:{num}",
        "本地宝妈交流群 加群请备注{city}",
        "Telegram群组 @{handle} 每日分享 欢迎加入",
        "一群已满 二群:{qq} 三群:{qq}",
        "关注公众号回复入群 获取群二维码",
        "车友会微信群 加群主{wx} 拉你入群",
    ],
    "game_cheats": [
        "{game} 变态版 上线送VIP 满级满装 {url}",
        "{game} 辅助 锁头 无后座 防封稳定 卡密购买{url}",
        "新区开服 一刀999级 爆率全开 打金服 {url}",
        "游戏代打 {game} 代肝 代上分 包上王者 {wx}",
        "{game} 公益服 每日开新区 首充送神装",
        "高爆版{game} 元宝回收 人民币兑换 {qq}",
        "免费外挂下载 透视自瞄 永久使用 QQ群{qq}",
        "{game} 内购破解版 无限钻石 无限金币 下载地址{url}",
        "卡盟 点卡 游戏账号出售 {game} 低价卖号 {wx}",
        "SF发布网 今日新开 {game} 超变传奇 {url}",
        "{game} 修改器 刷金币 刷元宝 一键挂机",
        "陪玩代练 {game} 上分包赢 {price}元一局 加V{wx}",
    ],
}

NEWS: list[str] = [
    "警方破获一起制作贩卖{game}外挂案，涉案金额{price}余万元。",
    "据统计，今年“双十一”期间全市快递业务量达{num}万件，同比增长{digit}%。",
    "该公司负责人介绍，新产品上市首月销量突破{num}万台。",
    "记者在网上搜索发现，不少商家以低价促销为名诱导消费者扫码加群。",
    "市场监管部门提醒消费者，警惕“先涨价后打折”的虚假促销行为。",
    "他说，下一步将在全省推广这一做法。",
    "游戏公司表示，将对使用外挂的账号予以封禁。",
    "上一届运动会上，他获得了两枚金牌。",
]

_FULLWIDTH = str.maketrans({**{c: chr(ord(c) + 0xFEE0) for c in string.digits}, ":": "："})


def _value(rng: random.Random, slot: str) -> str:
    if slot in POOLS:
        return rng.choice(POOLS[slot])
    if slot == "price":
        return str(rng.choice([19, 29, 39, 59, 99, 128, 199, 299, 399, 599]))
    if slot == "low":
        return str(rng.choice([5, 10, 20, 30, 50, 80]))
    if slot in ("digit", "digit2"):
        return str(rng.randint(2, 9))
    if slot == "num":
        return str(rng.randint(10, 999))
    if slot == "qq":
        return str(rng.randint(10**7, 10**10))
    if slot == "wx":
        return (
            rng.choice(["wx", "vx", "", "V:"])
            + "".join(rng.choices(string.ascii_lowercase, k=3))
            + str(rng.randint(100, 99999))
        )
    if slot == "handle":
        return "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 8))) + str(rng.randint(1, 99))
    if slot == "url":
        name = "".join(rng.choices(string.ascii_lowercase + string.digits, k=rng.randint(4, 8)))
        scheme = rng.choice(["", "www.", "http://", "https://m."])
        return scheme + name + "." + rng.choice(["com", "cn", "net", "vip", "xyz", "tw"])
    if slot == "city":
        return rng.choice(["南京", "武汉", "西安", "长沙", "台中", "高雄"])
    raise KeyError(slot)


def _fill(rng: random.Random, template: str) -> str:
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    return template.format_map({name: _value(rng, name) for name in set(names)}) if names else template


def _shape(rng: random.Random, line: str) -> str:
    roll = rng.random()
    if roll < 0.12:
        return line.translate(_FULLWIDTH)
    if roll < 0.22:
        return line.replace(" ", "\u3000")
    if roll < 0.28:
        return line.replace(" ", " | ")
    if roll < 0.43:
        return line.replace(" ", "")
    if roll < 0.53:
        return line.replace(" ", "，")
    return line


def _article_bodies() -> list[tuple[bool, list[str]]]:
    """Article paragraphs of each tuning document, and whether the document is in Traditional script."""
    bodies = []
    with open(HERE / "tune.jsonl", encoding="utf-8") as source:
        for row in source:
            doc = json.loads(row)
            body = [line["text"] for line in doc["lines"] if line["category"] == doc["source"]]
            if len(body) >= 4:
                bodies.append((doc["source"].endswith("_trad") or doc["source"].startswith("gsd"), body))
    return bodies


def build() -> list[dict[str, Any]]:
    import opencc

    trad = opencc.OpenCC("s2twp").convert
    rng = random.Random(SEED)
    queue = [kind for kind in TEMPLATES for _ in range(PER_KIND)]
    rng.shuffle(queue)
    bodies = _article_bodies()
    rng.shuffle(bodies)
    docs = []
    for k, (traditional, body) in enumerate(bodies):
        if not queue:
            break
        lines = [{"text": text, "label": "article", "category": "tune_article"} for text in body]
        if rng.random() < 0.4:
            news = _fill(rng, rng.choice(NEWS))
            position = rng.randint(1, max(1, len(lines) - 1))
            text = trad(news) if traditional else news
            lines.insert(position, {"text": text, "label": "article", "category": "news_mentions_junk_words"})
        for _ in range(rng.randint(2, 5)):
            if not queue:
                break
            kind = queue.pop()
            text = _shape(rng, _fill(rng, rng.choice(TEMPLATES[kind])))
            if traditional or rng.random() < 0.25:
                text = trad(text)
            where = rng.choice(["top", "bottom", "middle", "middle"])
            position = (
                0 if where == "top" else len(lines) if where == "bottom" else rng.randint(1, max(1, len(lines) - 1))
            )
            lines.insert(position, {"text": text, "label": "junk", "category": kind})
        docs.append({"id": f"tune-extra-{k:04d}", "source": "tune_remix", "lines": lines})
    return docs


def main() -> None:
    docs = build()
    with open(HERE / "tune_extra.jsonl", "w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    junk = sum(line["label"] == "junk" for doc in docs for line in doc["lines"])
    print(f"tune_extra: {len(docs)} documents, {junk} junk lines")


if __name__ == "__main__":
    main()
