"""Junk-line templates and slot fillers of the spam evaluation set (see ``generate.py``).

Each category has two disjoint template lists: ``TUNE`` templates make the tuning half, ``TEST`` templates
(held out: other wording, other order of the parts, other slots) make the test half. Slot fillers are drawn
at random per line; pools marked with two halves give the test half fillers never seen while tuning.
Written for cleanse from general knowledge of web junk; no seed text.
"""

from __future__ import annotations

TUNE = "tune"
TEST = "test"

POOLS: dict[str, tuple[list[str], list[str]]] = {
    # (tune fillers, test fillers)
    "product": (
        ["蓝牙耳机", "电动牙刷", "扫地机器人", "保温杯", "羽绒服", "运动鞋", "面膜", "空气炸锅"],
        ["筋膜枪", "智能手表", "加湿器", "登山包", "洗碗机", "口红套装", "投影仪", "按摩椅"],
    ),
    "brand": (
        ["劳力士", "路易威登", "香奈儿", "古驰"],
        ["卡地亚", "爱马仕", "欧米茄", "普拉达"],
    ),
    "city": (
        ["北京", "上海", "广州", "深圳", "成都", "杭州"],
        ["武汉", "南京", "重庆", "西安", "长沙", "厦门"],
    ),
    "drug": (["冰毒", "K粉", "摇头丸", "麻古"], ["大麻", "海洛因", "LSD", "神仙水"]),
    "weapon": (["仿真枪", "气枪", "猎枪子弹"], ["军刺", "弓弩", "钢珠枪", "电击器"]),
    "game": (["传奇私服", "魔域私服", "奇迹私服"], ["征途私服", "梦幻私服", "冒险岛私服"]),
    "casino": (["澳门葡京", "金沙娱乐", "威尼斯人"], ["新葡京", "银河娱乐", "太阳城"]),
    "disease": (["脱发", "痛风", "糖尿病", "鼻炎"], ["牛皮癣", "前列腺炎", "失眠", "白癜风"]),
    "site": (["某某网", "热点资讯网", "生活频道"], ["城市新闻网", "头条快讯", "早知道网"]),
}


def _tpl(*lines: str) -> list[str]:
    return list(lines)


TEMPLATES: dict[str, dict[str, list[str]]] = {
    "porn": {
        TUNE: _tpl(
            "成人视频 {site}高清无码 在线观看 {url}",
            "激情裸聊 美女主播 一对一私密视频 加微信{wx}",
            "三级片 A片下载 免费看黄 {url}",
            "av女优 番号大全 无码高清 每日更新",
            "同城约炮 上门服务 包夜{price}元 电话{phone}",
        ),
        TEST: _tpl(
            "最新黄色网站 {url} 夜间福利 老司机带路",
            "{city}楼凤信息 兼职妹妹 全套服务 QQ {qq}",
            "性感美女脱衣直播 成人午夜影院 手机看片",
            "日韩AV 欧美成人 激情视频 {url}",
            "寂寞少妇 裸体写真 色情图片 点击进入",
        ),
    },
    "gambling": {
        TUNE: _tpl(
            "{casino} 线上百家乐 注册送{num}元 {url}",
            "六合彩 特码 内部资料 稳中 {url}",
            "时时彩计划 北京赛车pk10 高手带单 QQ:{qq}",
            "足球投注 网上赌场 首存优惠 {url}",
            "真人荷官 在线发牌 老虎机 充值秒到",
        ),
        TEST: _tpl(
            "博彩平台 体育外围 提款秒到账 客服微信 {wx}",
            "百家乐技巧 必赢打法 {casino}官网 {url}",
            "一码中特 六合彩开奖 {url} 天天有料",
            "棋牌游戏 斗地主赢现金 炸金花 下载APP",
            "线上赌博 彩票代购 赌球网址 {url}",
        ),
    },
    "drugs_sex_aids": {
        TUNE: _tpl(
            "伟哥 春药 迷药 催情水 货到付款",
            "进口{drug} 哪里买 电话{phone} 同城快递",
            "迷幻药 听话水 无色无味 微信{wx}",
            "催情药 延时喷剂 男人持久 保密发货",
        ),
        TEST: _tpl(
            "出售{drug} 纯度高 QQ {qq} 诚信交易",
            "失忆水 迷情药 女用催情 专卖店 {url}",
            "印度神油 壮阳药 正品 货到付款 {phone}",
            "蒙汗药 昏睡药 出售 加微 {wx}",
        ),
    },
    "weapons": {
        TUNE: _tpl(
            "出售{weapon} 气狗 猎枪 全国发货 QQ{qq}",
            "手枪出售 枪支配件 消音器 {url}",
            "管制刀具 三棱刀 出售 微信{wx}",
        ),
        TEST: _tpl(
            "{weapon}专卖 射钉枪改装 铅弹 电话{phone}",
            "军用{weapon} 狗腿刀 开刃 货到付款",
            "高压气枪 汽狗 买卖 仿真枪网 {url}",
        ),
    },
    "counterfeit": {
        TUNE: _tpl(
            "高仿名表 奢侈品A货 一比一复刻 微信下单",
            "{brand}高仿包包 精仿 原单 微信{wx}",
            "超A货 {brand}手表 顶级复刻 {price}元起",
        ),
        TEST: _tpl(
            "复刻{brand} 1:1 原厂品质 专柜同款 加V:{wx}",
            "外贸原单 {brand}尾货 高仿皮带 批发零售",
            "精仿名牌{product} 莆田货 一件代发 {url}",
        ),
    },
    "fake_documents": {
        TUNE: _tpl(
            "代开发票 增值税发票 各地{city}均可 {phone}",
            "办证 身份证 驾驶证 毕业证 刻章 电话{phone}",
            "代办文凭 学历认证 学信网可查 QQ{qq}",
        ),
        TEST: _tpl(
            "{city}开票 普通发票 专用发票 代开 微信{wx}",
            "制作假证 各类证件 办理 {phone} 当天取件",
            "考试答案 四六级 助考 包过 加微信{wx}",
        ),
    },
    "loans": {
        TUNE: _tpl(
            "无抵押贷款 秒批 当天放款 {phone}",
            "信用卡套现 提额 代还 微信{wx}",
            "网贷口子 黑户可下 不看征信 {url}",
        ),
        TEST: _tpl(
            "急用钱找我们 小额贷款 {num}万以内 无需抵押 电话{phone}",
            "身份证贷款 极速到账 低息 加QQ{qq}",
            "花呗套现 白条提现 秒到 {num}个点 微信{wx}",
        ),
    },
    "investment_scam": {
        TUNE: _tpl(
            "内幕消息 牛股推荐 稳赚不赔 加QQ群{qq}",
            "外汇期货 带单 日收益{num}% 微信{wx}",
            "虚拟币 区块链理财 保本高收益 {url}",
        ),
        TEST: _tpl(
            "荐股老师 免费诊股 涨停板敢死队 {url}",
            "理财项目 月入{num}万 躺赚 私聊 {wx}",
            "原始股认购 上市翻倍 名额有限 {phone}",
        ),
    },
    "medical": {
        TUNE: _tpl(
            "減肥瘦身 一個月瘦{num}斤 不反彈 無效退款 加LINE諮詢",
            "根治{disease} 祖传秘方 无效退款 {phone}",
            "包治百病 特效药 三天见效 {url}",
            "增大增粗 延时 男科医院 在线咨询 {phone}",
        ),
        TEST: _tpl(
            "{disease}克星 纯中药 一个疗程根除 免费试用",
            "丰胸产品 无副作用 {num}天见效 微信{wx}",
            "专治{disease} 专家挂号 {city}某某医院 {phone}",
            "瘦身茶 躺着也能瘦 月减{num}斤 加LINE:{line}",
        ),
    },
    "dating_live": {
        TUNE: _tpl(
            "美女直播 一对一视频聊天 附近约会交友 点击下载",
            "同城交友 寂寞陪聊 在线约会 {url}",
            "{city}单身美女 视频交友 注册即送金币",
        ),
        TEST: _tpl(
            "附近的人 约会神器 一键匹配 今晚不孤单 {url}",
            "真人陪聊 美女主播 私密直播 加微信{wx}",
            "婚恋交友 {city}本地 同城速配 立即下载",
        ),
    },
    "seo_services": {
        TUNE: _tpl(
            "SEO优化 网站建设 百度快照排名 包年推广",
            "网站推广 关键词排名 首页 {price}元/年 QQ{qq}",
            "刷粉丝 刷点赞 刷流量 {url}",
        ),
        TEST: _tpl(
            "整站优化 外链代发 收录 {num}天上首页 {url}",
            "小程序开发 APP定制 网站制作 电话{phone}",
            "百度竞价托管 网络营销 推广外包 {phone}",
        ),
    },
    "part_time_jobs": {
        TUNE: _tpl(
            "招聘兼职 在家打字 日结{price}元 加QQ{qq}",
            "网络兼职 刷单 手机就能做 微信{wx}",
            "宝妈兼职 时间自由 日赚{num}百 {url}",
        ),
        TEST: _tpl(
            "淘宝刷单员 佣金日结 无需押金 QQ {qq}",
            "手工活外发 在家做 高收入 电话{phone}",
            "招代理 零投资 躺赚 名额有限 加{wx}",
        ),
    },
    "business_contact": {
        TUNE: _tpl(
            "商务合作请联系 QQ:{qq} 邮箱:{email}",
            "广告投放 请联系 {phone} 微信同号",
            "合作邮箱:{email} 客服QQ:{qq}",
        ),
        TEST: _tpl(
            "商务洽谈 微信:{wx} 电话:{phone}",
            "投稿及广告合作 {email} 欢迎联系",
            "业务联系:{phone}(微信同号) 邮箱 {email}",
        ),
    },
    "chat_group": {
        TUNE: _tpl(
            "加群 QQ群:{qq} 欢迎加入交流",
            "扫码进群 领取资料 群满请加微信{wx}",
            "读者交流群 {qq} 入群暗号:{num}",
        ),
        TEST: _tpl(
            "粉丝群号:{qq} 进群福利多多",
            "Telegram群 @{tg} 每日分享",
            "加我微信{wx} 拉你进群 名额有限",
        ),
    },
    "sales_promo": {
        TUNE: _tpl(
            "{product} 限时特价{price}元 包邮 货到付款",
            "厂家直销 {product} 全场五折 买一送一",
            "清仓甩卖 {product} 最后{num}件 手慢无",
            "爆款{product} 今日下单立减{num}元 {url}",
        ),
        TEST: _tpl(
            "{product}秒杀价 ¥{price} 七天无理由退换 全国包邮",
            "双十一狂欢 {product} 满{num}减{price} 速抢",
            "正品保证 {product} 批发价 支持货到付款 {phone}",
            "新品上市 {product} 团购价{price} 点击购买",
        ),
    },
    "app_download": {
        TUNE: _tpl(
            "下载新闻客户端 随时随地看新闻",
            "扫描二维码下载APP 第一时间获取资讯",
            "打开{site}APP 阅读全文",
        ),
        TEST: _tpl(
            "安装{site}客户端 看更多精彩内容",
            "APP内打开 体验更佳 立即下载",
            "手机看新闻 就用{site}App 下载安装",
        ),
    },
    "follow_subscribe": {
        TUNE: _tpl(
            "关注微信公众号 {site} 获取更多资讯",
            "长按识别二维码 关注我们",
            "点击上方蓝字 关注{site}",
        ),
        TEST: _tpl(
            "欢迎订阅{site}官方微博 @{tg}",
            "喜欢本文请点赞 转发 关注我们的公众号",
            "觉得不错就点个在看吧 关注不迷路",
        ),
    },
    "share_widget": {
        TUNE: _tpl(
            "分享到: 微博 微信 QQ空间 豆瓣",
            "分享 收藏 点赞 打印 关闭窗口",
            "一键分享: 新浪微博 腾讯微博 人人网",
        ),
        TEST: _tpl(
            "分享至 朋友圈 微信好友 QQ好友 复制链接",
            "转发到 Facebook Twitter LINE 分享",
            "字号: 大 中 小 打印本页 分享",
        ),
    },
    "comment_widget": {
        TUNE: _tpl(
            "发表评论 网友评论 已有{num}人参与",
            "我要评论 请登录后发表评论",
            "评论({num}) 点赞({num}) 收藏",
        ),
        TEST: _tpl(
            "查看全部{num}条评论 写评论",
            "网友跟帖 {num}人参与 文明上网理性发言",
            "登录后参与讨论 热门评论 最新评论",
        ),
    },
    "prev_next_nav": {
        TUNE: _tpl(
            "上一篇: {title} 下一篇: {title}",
            "上一页 1 2 3 下一页 尾页",
            "返回顶部 返回首页 返回列表",
        ),
        TEST: _tpl(
            "上一則: {title} 下一則: {title}",
            "前一篇 {title} 後一篇 {title}",
            "第一页 上一页 下一页 共{num}页",
        ),
    },
    "copyright_footer": {
        TUNE: _tpl(
            "Copyright © 2008-2024 {site} 版权所有 京ICP备{num}号",
            "版权所有 未经授权禁止转载 违者必究",
            "ICP备案号 沪ICP备{num}号 公网安备{num}号",
        ),
        TEST: _tpl(
            "本站所有内容版权归{site}所有 未经许可不得复制",
            "© {site} All Rights Reserved 粤ICP备{num}号-1",
            "关于我们 联系我们 免责声明 隐私政策 网站地图",
        ),
    },
    "keyword_list": {
        TUNE: _tpl(
            "热门搜索: {product} {product} {product} {city}旅游 {city}美食",
            "相关标签: {product}价格 {product}图片 {product}怎么样 {product}排行榜",
            "热词: {city}租房 {city}二手车 {city}招聘 {city}房价",
        ),
        TEST: _tpl(
            "大家都在搜 {product}推荐 {product}评测 {product}哪个好 {product}品牌",
            "tags: {city}景点 {city}酒店 {city}机票 {city}地图",
            "关键词 {product}多少钱 {product}正品 {product}官网 {product}专卖",
        ),
    },
    "url_spam": {
        TUNE: _tpl(
            "最新地址 {url} 请收藏",
            "官网 {url} 备用网址 {url}",
            "点击进入 {url} 永久域名",
        ),
        TEST: _tpl(
            "发布页 {url} 防走失 记住网址",
            "看片网址 {url} {url}",
            "新域名 {url} 老域名已失效",
        ),
    },
    "game_cheats": {
        TUNE: _tpl(
            "{game} 新开 一秒一刀 装备全爆 {url}",
            "游戏外挂 透视 自瞄 稳定不封号 QQ{qq}",
            "代练 上分 包赢 {price}元一局 微信{wx}",
        ),
        TEST: _tpl(
            "{game}发布网 今日新服 {url} 送VIP",
            "辅助脚本 挂机 免费试用 卡密购买 {url}",
            "游戏币 装备交易 低价出售 {phone}",
        ),
    },
}

TITLES = (
    ["台风外围环流影响 北部山区防豪雨", "市政府召开防汛工作会议", "高校毕业生就业形势分析", "春运返程高峰到来"],
    ["立委质询 行政院长答询", "新能源汽车销量持续增长", "城市公园改造工程完工", "科技馆推出暑期展览"],
)

NEWS: dict[str, list[str]] = {
    # Article sentences that mention what junk lines are made of (hotlines, websites, prices, brands, gambling,
    # drugs, loans): the harm a junk detector is most likely to do. Truth: article. Disjoint halves.
    TUNE: _tpl(
        "据介绍，{city}市心理援助热线{phone}全天开通，已累计接听求助电话{num}余个。",
        "市民可登录{url}查询办理进度，也可拨打服务热线{phone}咨询。",
        "警方近日破获一起网络赌博案，涉案网站以百家乐、六合彩等名目引诱群众参与赌博，涉案金额{num}万元。",
        "记者从市场监管部门获悉，今年以来共查处销售高仿名牌商品案件{num}起。",
        "今年以来，猪肉价格持续回落，目前每公斤售价约为{price}元，较去年同期下降{num}%。",
        "专家提醒，所谓“包治百病”的特效药多为虚假宣传，患者应到正规医院就医。",
        "该公司负责人表示，{product}销量同比增长{num}%，线上渠道占比超过一半。",
        "公安机关提醒，凡是要求先交保证金的“无抵押贷款”广告都是诈骗。",
        "活动详情可关注主办方微信公众号，或发送邮件至{email}报名。",
        "禁毒部门公布举报电话{phone}，鼓励群众举报贩卖冰毒等违法犯罪线索。",
        "{city}警方打掉一个利用“刷单返利”实施诈骗的犯罪团伙，抓获嫌疑人{num}名。",
        "调查显示，超过{num}%的受访者曾在社交平台看到兼职刷单广告。",
    ),
    TEST: _tpl(
        "消费者如遇质量问题，可拨打{phone}投诉，也可通过{url}在线反映。",
        "法院审理查明，被告人通过微信群招揽参赌人员，在线上赌场下注，非法获利{num}万元。",
        "海关今年已查获走私仿真枪{num}支、管制刀具{num}把。",
        "据了解，{product}的终端售价在{price}元左右，部分电商平台推出了限时优惠。",
        "卫生部门提醒，网上宣称“一个月瘦二十斤”的减肥产品可能含有违禁成分。",
        "报名截止后，组委会将通过官网{url}公布入围名单。",
        "银保监会提示，警惕“低息秒批”网贷广告背后的高利贷陷阱。",
        "市民{city}李女士介绍，她曾通过陌生QQ群购买所谓内幕消息，损失{num}万元。",
        "{city}文旅局开通咨询电话{phone}，为游客提供景区预约和交通信息。",
        "平台方面回应称，已下架涉嫌售卖A货的店铺{num}家，并将配合监管部门调查。",
        "学校提醒家长，不要轻信“包过”“助考”等考试作弊广告。",
        "该案中，犯罪嫌疑人以“同城交友”为名诱导受害人下载涉黄APP。",
    ),
}
