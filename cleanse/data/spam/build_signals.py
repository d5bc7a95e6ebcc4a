"""Regenerate ``signals.tsv``: junk-signal words by category, each row with its weight and source.

Two sources are merged:

- ``CURATED`` below, written for cleanse from general knowledge of web junk (source ``cleanse``);
- public word lists, read from local checkouts given on the command line: the LDNOOBW Chinese list
  (``zh``, CC-BY-4.0, github LDNOOBW/List-of-Dirty-Naughty-Obscene-and-Otherwise-Bad-Words, source ``ldnoobw``)
  and konsheng/Sensitive-lexicon (MIT, ``Vocabulary/广告类型.txt``, ``色情类型.txt``, ``涉枪涉爆.txt``, source
  ``konsheng``). Only words of two or more characters with a Han character are taken, none that occur in the
  tuning half's article text (``--articles``), where a list word that is also news vocabulary would do harm, and
  none of ``EXCLUDED`` (officials' names, institutions and market words these lists carry).

A word in both gets both sources (``cleanse;ldnoobw``). Public-list words weigh 0.5 (the lists mix strong and
weak words), curated words their own weight. Run:

    python cleanse/data/spam/build_signals.py --ldnoobw DIR --konsheng DIR --articles tests/data/spam_eval/tune.jsonl
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent

STRONG, WEAK = 1.0, 0.4
TAIWAN_VARIANTS: dict[str, dict[str, float]] = {
    "prompt": {
        **dict.fromkeys(["点选进入", "点选上方", "粉丝专页", "按赞", "订阅频道", "开启小铃铛"], STRONG),
        **dict.fromkeys(["点选", "登入", "列印", "脸书"], WEAK),
    },
    "keyword": dict.fromkeys(["热门搜寻", "相关搜寻", "大家都在找"], STRONG),
    "dating": dict.fromkeys(["视讯聊天", "视讯交友", "一对一视讯"], STRONG),
    "porn": dict.fromkeys(["成人影片", "色情影片", "av影片", "激情影片"], STRONG),
    "contact": dict.fromkeys(["加赖", "赖id", "line id"], STRONG),
}
"""Words as Taiwan and Hong Kong pages write them (OpenCC ``s2twp`` style vocabulary), which the character
fold to Simplified does not map onto the mainland words."""

CURATED: dict[str, dict[str, float]] = {
    "porn": dict.fromkeys(
        [
            "色情",
            "成人视频",
            "成人电影",
            "成人网站",
            "成人影院",
            "黄色网站",
            "黄片",
            "看黄",
            "毛片",
            "a片",
            "av女优",
            "无码",
            "裸聊",
            "裸体",
            "约炮",
            "一夜情",
            "楼凤",
            "包夜",
            "援交",
            "上门服务",
            "全套服务",
            "激情视频",
            "激情裸聊",
            "午夜福利",
            "夜间福利",
            "老司机",
            "看片",
            "三级片",
            "番号",
            "色播",
            "色图",
            "自拍偷拍",
            "情色",
            "黄色小说",
            "性感美女",
            "脱衣",
            "裸体写真",
            "色情图片",
            "兼职妹妹",
            "手机看片",
            "日韩av",
            "欧美成人",
            "午夜影院",
        ],
        STRONG,
    ),
    "gambling": dict.fromkeys(
        [
            "博彩",
            "赌场",
            "百家乐",
            "六合彩",
            "时时彩",
            "北京赛车",
            "pk10",
            "老虎机",
            "真人荷官",
            "赌球",
            "外围",
            "彩票代购",
            "炸金花",
            "德州扑克",
            "首存",
            "洗码",
            "返水",
            "特码",
            "一码中特",
            "必赢",
            "赌博",
            "葡京",
            "网上赌场",
            "充值秒到",
            "线上赌场",
            "体育投注",
            "足球投注",
            "网投",
            "提款秒到",
        ],
        STRONG,
    ),
    "drugs": dict.fromkeys(
        [
            "冰毒",
            "k粉",
            "摇头丸",
            "麻古",
            "海洛因",
            "迷药",
            "春药",
            "催情",
            "听话水",
            "迷幻药",
            "失忆水",
            "迷情药",
            "蒙汗药",
            "昏睡药",
            "伟哥",
            "壮阳",
            "延时喷剂",
            "神油",
            "保密发货",
            "催情水",
            "催情药",
            "迷奸药",
        ],
        STRONG,
    ),
    "weapons": dict.fromkeys(
        [
            "仿真枪",
            "气枪",
            "猎枪",
            "气狗",
            "汽狗",
            "钢珠枪",
            "军刺",
            "管制刀具",
            "三棱刀",
            "狗腿刀",
            "电击器",
            "消音器",
            "铅弹",
            "枪支配件",
            "手枪出售",
            "出售枪支",
            "火药配方",
        ],
        STRONG,
    ),
    "counterfeit": {
        **dict.fromkeys(
            ["高仿", "a货", "复刻", "精仿", "原单", "仿品", "超a", "顶级复刻", "外贸原单", "一比一"], STRONG
        ),
        **dict.fromkeys(["专柜同款", "尾货", "1:1"], WEAK),
    },
    "fake_docs": dict.fromkeys(
        [
            "代开发票",
            "发票代开",
            "开发票",
            "办证",
            "假证",
            "刻章",
            "代办文凭",
            "学历认证",
            "包过",
            "助考",
            "考试答案",
            "代考",
            "证件办理",
            "开票",
        ],
        STRONG,
    ),
    "loans": {
        **dict.fromkeys(
            [
                "无抵押贷款",
                "小额贷款",
                "秒批",
                "当天放款",
                "套现",
                "提额",
                "代还",
                "网贷",
                "黑户",
                "不看征信",
                "极速到账",
                "身份证贷款",
            ],
            STRONG,
        ),
        **dict.fromkeys(["急用钱", "低息", "放款", "花呗", "白条", "提现", "无需抵押"], WEAK),
    },
    "invest": {
        **dict.fromkeys(
            [
                "内幕消息",
                "牛股",
                "荐股",
                "稳赚",
                "稳赚不赔",
                "躺赚",
                "带单",
                "日收益",
                "保本高收益",
                "诊股",
                "涨停板敢死队",
                "原始股",
            ],
            STRONG,
        ),
        **dict.fromkeys(["理财项目", "月入", "高收益", "虚拟币", "翻倍", "名额有限"], WEAK),
    },
    "jobs": {
        **dict.fromkeys(
            [
                "刷单",
                "日结",
                "在家打字",
                "手工活外发",
                "零投资",
                "无需押金",
                "日赚",
                "宝妈兼职",
                "网络兼职",
                "招聘兼职",
                "刷单员",
            ],
            STRONG,
        ),
        **dict.fromkeys(["兼职", "佣金", "高收入", "时间自由", "招代理", "手机就能做"], WEAK),
    },
    "medical": {
        **dict.fromkeys(
            [
                "祖传秘方",
                "包治百病",
                "特效药",
                "无效退款",
                "不反弹",
                "增大增粗",
                "丰胸",
                "瘦身茶",
                "纯中药",
                "根治",
                "专治",
                "克星",
            ],
            STRONG,
        ),
        **dict.fromkeys(["减肥", "瘦身", "男科", "疗程", "见效", "无副作用", "专家挂号", "免费试用"], WEAK),
    },
    "dating": {
        **dict.fromkeys(
            [
                "一对一视频",
                "陪聊",
                "单身美女",
                "约会交友",
                "同城交友",
                "视频交友",
                "美女主播",
                "附近的人",
                "同城速配",
                "私密直播",
                "寂寞",
            ],
            STRONG,
        ),
        **dict.fromkeys(["交友", "约会", "视频聊天", "直播", "婚恋", "注册即送"], WEAK),
    },
    "seo": {
        **dict.fromkeys(
            [
                "seo",
                "网站建设",
                "网站优化",
                "百度快照",
                "关键词排名",
                "包年推广",
                "整站优化",
                "外链",
                "刷粉丝",
                "刷点赞",
                "刷流量",
                "竞价托管",
                "网站推广",
            ],
            STRONG,
        ),
        **dict.fromkeys(["推广外包", "网络营销", "小程序开发", "网站制作", "收录", "上首页", "代运营"], WEAK),
    },
    "sales": {
        **dict.fromkeys(
            [
                "包邮",
                "货到付款",
                "全场五折",
                "买一送一",
                "厂家直销",
                "清仓甩卖",
                "手慢无",
                "立减",
                "满减",
                "团购价",
                "一件代发",
                "七天无理由",
                "正品保证",
                "点击购买",
                "秒杀价",
                "批发零售",
                "款到发货",
                "限时特价",
                "低价出售",
                "全国包邮",
                "顺丰包邮",
                "领券",
                "优惠码",
                "折起",
                "直降",
                "跳楼价",
                "库存有限",
                "售完即止",
                "下单立减",
                "下单即送",
                "第二件半价",
                "到手价",
                "券后价",
                "假一赔十",
                "假一赔三",
                "支持验货",
                "现货秒发",
                "现货速发",
                "当天发货",
                "限量抢购",
                "点击抢购",
                "工厂直供",
                "免运费",
                "超商取货",
                "宅配到府",
                "无理由退换",
                "热卖中",
                "火爆热销",
                "欢迎选购",
                "欢迎订购",
                "正品行货",
                "原装正品",
                "全新正品",
                "假一罚十",
                "物美价廉",
                "加入购物车",
                "立即购买",
                "立即抢购",
                "马上抢",
                "订购热线",
                "订购电话",
                "诚招代理",
                "招代理",
                "官方旗舰店",
                "售后无忧",
                "大量现货",
                "现货供应",
                "超低价",
                "包退换",
                "优惠多多",
                "新款上市",
            ],
            STRONG,
        ),
        **dict.fromkeys(
            [
                "特价",
                "限时",
                "秒杀",
                "清仓",
                "甩卖",
                "批发",
                "下单",
                "抢购",
                "优惠券",
                "促销",
                "折扣",
                "爆款",
                "新品上市",
                "批发价",
                "速抢",
                "专卖",
                "正品",
                "原价",
                "现价",
                "特惠",
                "特卖",
                "半价",
                "大促",
                "会员价",
                "优惠价",
                "赠品",
                "亏本",
                "满额",
                "热卖",
                "热销",
                "上新",
                "选购",
                "订购",
                "旗舰店",
                "进店",
                "预售",
                "拼团",
                "返现",
                "代金券",
                "打折",
                "超值",
                "最低价",
                "品质保证",
                "品质保障",
                "赠送",
                "免运",
                "团购",
            ],
            WEAK,
        ),
    },
    "contact": {
        **dict.fromkeys(
            [
                "加微",
                "加v",
                "vx",
                "qq群",
                "加群",
                "进群",
                "入群",
                "群号",
                "微信同号",
                "扣扣",
                "私聊",
                "商务合作",
                "广告合作",
                "合作邮箱",
                "客服qq",
                "加qq",
                "加line",
                "加我",
                "交流群",
                "读者群",
                "粉丝群",
                "福利群",
                "红包群",
                "微信群",
                "拉你进群",
                "拉你入群",
                "扫码进群",
                "扫码加群",
                "群满",
                "群已满",
                "入群暗号",
                "加群主",
                "群主微信",
                "小编微信",
                "助手微信",
                "客服微信",
                "加微信",
                "line社群",
                "line群组",
                "电报群",
                "tg群",
            ],
            STRONG,
        ),
        **dict.fromkeys(
            [
                "微信",
                "qq",
                "客服",
                "联系",
                "电话",
                "邮箱",
                "line",
                "咨询",
                "热线",
                "telegram",
                "电报",
                "合作",
                "洽谈",
                "投稿",
            ],
            WEAK,
        ),
    },
    "prompt": {
        **dict.fromkeys(
            [
                "客户端",
                "扫描二维码",
                "长按识别",
                "点击上方蓝字",
                "公众号",
                "分享到",
                "一键分享",
                "分享至",
                "qq空间",
                "关闭窗口",
                "发表评论",
                "网友评论",
                "我要评论",
                "写评论",
                "网友跟帖",
                "参与讨论",
                "热门评论",
                "最新评论",
                "阅读全文",
                "点击进入",
                "立即下载",
                "点个在看",
                "关注我们",
                "下载app",
                "打印本页",
                "复制链接",
            ],
            STRONG,
        ),
        **dict.fromkeys(
            [
                "下载",
                "app",
                "安装",
                "扫码",
                "二维码",
                "关注",
                "订阅",
                "点赞",
                "转发",
                "在看",
                "收藏",
                "分享",
                "朋友圈",
                "微博",
                "评论",
                "跟帖",
                "登录",
                "点击",
                "打印",
                "社群",
                "群组",
                "欢迎加入",
                "暗号",
                "微信号",
                "加好友",
                "备注",
                "二维码",
            ],
            WEAK,
        ),
    },
    "navigation": {
        **dict.fromkeys(
            [
                "上一篇",
                "下一篇",
                "上一则",
                "下一则",
                "前一篇",
                "后一篇",
                "上一页",
                "下一页",
                "尾页",
                "返回顶部",
                "返回首页",
                "返回列表",
                "第一页",
                "上一条",
                "下一条",
                "上一章",
                "下一章",
                "上一节",
                "下一节",
                "上篇",
                "下篇",
                "前一页",
                "后一页",
                "末页",
                "最后一页",
                "上一主题",
                "下一主题",
                "上一帖",
                "下一帖",
                "上一张",
                "下一张",
                "前一则",
                "后一则",
                "回到顶部",
                "回顶部",
                "回顶端",
                "回首页",
                "回上页",
                "返回上页",
                "返回上一页",
                "返回目录",
                "章节目录",
                "加入书签",
                "跳转到",
            ],
            STRONG,
        ),
        **dict.fromkeys(["首页", "字号", "目录", "没有了"], WEAK),
    },
    "footer": {
        **dict.fromkeys(
            [
                "版权所有",
                "all",
                "rights",
                "reserved",
                "icp备",
                "公网安备",
                "未经授权",
                "禁止转载",
                "违者必究",
                "免责声明",
                "隐私政策",
                "关于我们",
                "联系我们",
                "网站地图",
                "不得复制",
                "版权归",
            ],
            STRONG,
        ),
        **dict.fromkeys(["copyright", "备案", "未经许可"], WEAK),
    },
    "keyword": {
        **dict.fromkeys(["热门搜索", "相关标签", "热词", "大家都在搜", "相关搜索", "tags"], STRONG),
        **dict.fromkeys(["标签", "关键词", "多少钱", "怎么样", "哪个好", "排行榜", "官网", "评测"], WEAK),
    },
    "url_words": {
        **dict.fromkeys(
            ["备用网址", "最新地址", "发布页", "永久域名", "防走失", "记住网址", "新域名", "看片网址"], STRONG
        ),
        **dict.fromkeys(["网址", "域名"], WEAK),
    },
    "game": {
        **dict.fromkeys(
            [
                "私服",
                "外挂",
                "自瞄",
                "代练",
                "卡密",
                "一秒一刀",
                "装备全爆",
                "发布网",
                "辅助脚本",
                "游戏币",
                "变态版",
                "变态服",
                "公益服",
                "打金服",
                "高爆版",
                "超变",
                "一刀999",
                "爆率",
                "满级",
                "上线送",
                "送vip",
                "首充",
                "开服",
                "开新区",
                "元宝回收",
                "锁头",
                "无后座",
                "防封",
                "不封号",
                "封号包赔",
                "内购破解",
                "破解版",
                "无限钻石",
                "无限金币",
                "无限元宝",
                "修改器",
                "刷金币",
                "刷元宝",
                "刷钻",
                "卡盟",
                "卖号",
                "代打",
                "代肝",
                "包上王者",
                "陪玩",
            ],
            STRONG,
        ),
        **dict.fromkeys(
            ["透视", "辅助", "上分", "挂机", "装备交易", "新服", "新开", "点卡", "账号出售", "一键", "脚本", "神装"],
            WEAK,
        ),
    },
}

PUBLIC = (
    ("ldnoobw", "ldnoobw", "zh", "porn"),
    ("konsheng", "konsheng", "Vocabulary/广告类型.txt", "sales"),
    ("konsheng", "konsheng", "Vocabulary/色情类型.txt", "porn"),
    ("konsheng", "konsheng", "Vocabulary/涉枪涉爆.txt", "weapons"),
)
PUBLIC_WEIGHT = 0.5
EXCLUDED = frozenset(
    [
        "周小川",
        "刘明康",
        "尚福林",
        "孔丹",
        "证监会",
        "救市",
        "崩盘",
        "股市圈钱",
        "中国复兴党",
        "阿波罗网",
        "四海帮",
        "淘宝",
        "网购",
        "全职",
        "技师",
        "桑拿",
        "资金短缺",
        "资金周转",
        "下载速度",
        "视频来源",
        "在线播放",
        "本店",
        "到货",
        "有意者",
        "微店",
        "免费使用",
        "质押贷款",
        "套牌车",
        "买小车",
        "改卷内幕",
        "用刀横向切腹",
        "婴儿汤",
        "找个妈妈",
        "找个爸爸",
        "咪咪",
        "全套",
    ]
)
"""Public-list words that are news vocabulary (officials, institutions, market words) or too vague to count."""


def _read(checkout: Path, path: str) -> list[str]:
    """A file of a plain folder or, failing that, of a bare git mirror's HEAD."""
    plain = checkout / path
    if plain.exists():
        return plain.read_text(encoding="utf-8").splitlines()
    shown = subprocess.run(["git", "--git-dir", str(checkout), "show", f"HEAD:{path}"], capture_output=True, check=True)
    return shown.stdout.decode("utf-8").splitlines()


def _has_han(word: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in word)


def build(sources: dict[str, Path], article_text: str) -> list[tuple[str, float, str, str]]:
    from cleanse.stages.spam.normalise import fold_chars

    rows: dict[tuple[str, str], tuple[float, set[str]]] = {}
    for curated in (CURATED, TAIWAN_VARIANTS):
        for category, words in curated.items():
            for word, weight in words.items():
                rows[fold_chars(word), category] = (weight, {"cleanse"})
    folded_articles = fold_chars(article_text)
    for key, source, path, category in PUBLIC:
        if key not in sources:
            continue
        for raw in _read(sources[key], path):
            word = fold_chars(raw.strip())
            if len(word) < 2 or not _has_han(word) or word in folded_articles or raw.strip() in EXCLUDED:
                continue
            known = rows.get((word, category))
            if known:
                known[1].add(source)
            else:
                rows[word, category] = (PUBLIC_WEIGHT, {source})
    return sorted(
        ((word, weight, category, ";".join(sorted(found))) for (word, category), (weight, found) in rows.items()),
        key=lambda row: (row[2], row[0]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ldnoobw", type=Path)
    parser.add_argument("--konsheng", type=Path)
    parser.add_argument(
        "--articles", type=Path, required=True, help="tuning-half jsonl; its article lines filter lists"
    )
    args = parser.parse_args()
    sources = {key: path for key, path in (("ldnoobw", args.ldnoobw), ("konsheng", args.konsheng)) if path}
    with open(args.articles, encoding="utf-8") as source:
        docs = [json.loads(line) for line in source]
    article_text = "\n".join(line["text"] for doc in docs for line in doc["lines"] if line["label"] == "article")
    rows = build(sources, article_text)
    header = (
        "# Junk-signal words by category (features of the line model, see cleanse/stages/spam/signals.py).\n"
        "# word<TAB>weight<TAB>category<TAB>source. Generated by build_signals.py;\n"
        "# sources and licenses in SOURCES.md.\n"
    )
    body = "".join(f"{word}\t{weight:g}\t{category}\t{source}\n" for word, weight, category, source in rows)
    (HERE / "signals.tsv").write_text(header + body, encoding="utf-8")
    print(f"{len(rows)} rows")


if __name__ == "__main__":
    main()
