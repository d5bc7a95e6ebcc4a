"""Build ``tune_extra.jsonl``: more tuning lines for the junk kinds whose tuning templates were too few to learn from.

The tuning half (``tune.jsonl``, made by ``generate.py``) has three or four templates per junk kind, so the
line model learned those wordings and little of the kind. This file adds tuning lines of ten kinds (sales
promotions, previous/next navigation, group-chat invitations, game cheat and private-server ads, drugs, sex
aids and prohibited goods, and, from issue 18's second round, follow/subscribe, share, comment and app-download
prompts and business contacts) written for
cleanse after the shapes such lines take on public web pages: the page-turn bars of common CMS templates
(DedeCMS, PHPCMS, Discuz!, WordPress themes: "上一篇/下一篇", "上一条/下一条", "上一章/下一章", numbered page bars),
the group-chat and QR-code invitations under WeChat and forum posts, shop-promotion banners (price cuts,
coupons, free delivery, Taiwanese "免運/超取"), and the private-server and cheat ads of game forums. None is
copied from the test half (``test.jsonl`` and the ``TEST`` templates are never read here).

Every line is placed in article context like the generated set: article paragraphs of the tuning half's own
documents (``tune.jsonl``, never the test half), re-mixed into new documents, with 2-5 junk lines at random
places; some documents also get a news sentence that mentions the same vocabulary (a police case on game
cheats, a sales statistic, a drug bust, AIDS prevention, chat apps; full sentences and headlines without a full
stop), labelled article, so the model also learns what it must keep. A share of the
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
PER_KIND = {
    "sales_promo": 200,
    "chat_group": 170,
    "drugs_sex_aids": 150,
    "prev_next_nav": 60,
    "game_cheats": 60,
    "follow_subscribe": 80,
    "share_widget": 70,
    "comment_widget": 60,
    "app_download": 60,
    "business_contact": 60,
}

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
    "drug": ["冰毒", "K粉", "大麻", "摇头丸", "神仙水", "笑气", "止咳水", "曲马多", "麻古", "开心水"],
    "aid": ["延时喷剂", "持久延时丸", "印度神油", "男用延时套", "女用催情液", "飞机杯", "充气娃娃", "跳蛋", "壮阳胶囊"],
    "goods": ["针孔摄像头", "窃听器", "信号屏蔽器", "开锁工具", "透视眼镜", "考试作弊耳机", "GPS定位跟踪器"],
    "shop": ["淘宝", "天猫", "京东", "拼多多", "抖音小店", "蝦皮", "momo購物"],
    "app": ["LINE", "Telegram", "WhatsApp", "Discord", "微信", "QQ", "Kakao"],
    "media": ["晨报", "都市快报", "财经观察", "科技前沿", "晚报", "生活周刊", "资讯中心", "体育频道"],
    "social": ["微博", "微信", "QQ空间", "Facebook", "Twitter", "LINE", "豆瓣", "Telegram", "抖音", "小红书"],
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
        "限时秒杀 {product} 每天10点开抢 仅限{num}份",
        "买一送一 {product} 活动仅剩{digit}天 欲购从速",
        "{shop}官方旗舰店 {product} 满{price}减{low} 可叠加店铺券",
        "【{digit}.9元包邮】{product} 拍下改价 先到先得",
        "换季清仓 {product} 全部{digit}折处理 卖完不补",
        "海外代购 {product} 正品保证 专柜价{price} 代购价{low}",
        "日韩代购 {product} 支持专柜验货 假一赔万 {wx}",
        "复制口令打开{shop} 领取{low}元无门槛优惠券",
        "直播间专享 {product} 主播推荐 上车价{low}元",
        "新人专享 首单立减{low}元 {product} 仅需{price}元",
        "全館免運 {product} 限時下殺{digit}折 結帳再折{low}元",
        "{product} 破盤價{price} 買二送一 現貨供應 售完為止",
        "满{price}元包邮 {product} 厂家直发 一手货源 招代理",
        "尾单清货 {product} 外贸原单 白菜价{low}元 手快有手慢无",
        "{product} 全网最低价 历史低价{low}元 赶紧囤货",
        "618年中大促 {product} 定金{low}元抵{price}元 付尾款立减",
        "社区团购 今日接龙 {product} 团长价{low}元 明天到货",
        "好评返现{low}元 {product} 晒单再送小礼品",
        "砍一刀免费拿 {product} 邀请好友助力 {url}",
        "{product} 惊爆价{low}元 只要{low}元 抢完即止",
        "{product}优惠码{handle} 下单立享{digit}折 限时有效",
        "大減價 {product} 全線{digit}折 送貨上門 查詢請WhatsApp{qq}",
        "{product} 出廠價直銷 一件也批發 量大從優 {wx}",
        "年货节 {product} 买满{price}返{low}元 红包雨整点开抢",
        "{product} 限购一件 每人限领一张{low}元券",
        "闭店甩卖 {product} 成本价处理 最后{digit}天",
        "{product} 加购价{low}元 满额赠好礼 数量有限送完为止",
        "微商货源 {product} 一件代发 零库存创业 {wx}",
        "店庆三周年 全场商品一律五折 会员再享九五折",
        "羊毛衫 断货王回归 今晚8点准时上架 拍下送袜子",
        "【限时福利】保温杯39元两个 点击左下角链接下单",
        "运动鞋工厂店 大码小码都有 支持七天退换 运费我们出",
        "年末冲量 空调安装免费 以旧换新最高补贴500元",
        "阳澄湖大闸蟹礼券 6只装 原价388 现仅需168 坐等收货",
        "进口奶粉 澳洲直邮 一罐也包税 支持溯源查询",
        "買三件打七折 全店商品適用 活動至本週日止",
        "滿888即送精美禮品一份 先到先得 送完即止",
        "狂欢购物节 爆品低至1折 戳这里 m.shopxx.com",
        "手机壳 钢化膜 数据线 统统9.9元 任选三件包邮",
        "衣服清仓 29元一件 99元四件 不挑款",
        "【聚划算】电动牙刷 今日券后59元 再送刷头2个",
        "本店所有商品均为厂家直销 没有中间商赚差价",
        "预定年夜饭 立减200元 包间有限 订座电话0571-88886666",
        "洗发水官方授权 正品低价 下单送同款小样",
        "超值套餐 原价199 限时只需99 每天限量100单",
        "冬季棉被 特价促销 数量不多 卖完即止",
        "香港代購化妝品 保證正貨 價格比專櫃平三成",
        "Costco代購 每週二四出貨 團購滿五千免運",
        "直播专属福利 3、2、1 上链接 手慢无",
        "新品首发 前100名下单半价 后面恢复原价",
        "家电狂欢节 买冰箱送微波炉 分期免息",
        "全场任选两件8折 三件7折 活动时间有限",
        "零食大礼包 一箱到手 只要19块9 不好吃包退",
        "冬装上新 第一波福利 全部68元起",
        "春节不打烊 下单后48小时内发出",
        "儿童玩具积木 满两件打八五折 今天最后一天",
        "特价机票 北京飞三亚 单程399起 仅限本周",
        "真皮沙发工厂直营 省去中间环节 到店有礼",
        "面膜买5盒送2盒 数量有限 抢到就是赚到",
        "新款连衣裙 清仓价49 码数不全 介意勿拍",
        "【今日爆款】蓝牙音箱 原价299 活动价99 点我购买",
        "手慢无！iPhone配件大促 全场低至3折",
        "本周六会员日 全场积分双倍 部分商品五折",
        "空气净化器 以旧换新立省800 详询门店",
        "猫粮狗粮 囤货季 买2送1 包邮到家",
        "限時優惠 全館滿千折百 刷卡再享分期零利率",
        "年終慶 化妝品專櫃商品八折起 滿額再送贈品",
        "周末特卖会 进口红酒 一箱六瓶 198元",
        "茶叶新茶上市 预售价比正式上市便宜一半",
        "秒杀专区 每天三场 10点 14点 20点",
        "清仓！清仓！清仓！最后三天 全部亏本处理",
        "女装尾货批发 论斤卖 一手货源 欢迎同行拿货",
        "电视机 国庆特惠 直降1000 送货安装一条龙",
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
        "{app}群组 每日推送 点击链接加入 {url}",
        "{city}同城交友群 私聊群主进群 {wx}",
        "防失联 请加备用群 {qq} 新群已开",
        "想要资料的私我 我拉你们进群",
        "进群方式：加我好友 备注“进群” 通过后拉你",
        "本群已满500人 请扫描下方二维码加入二群",
        "WhatsApp群組 每日分享優惠 加入請私訊 {qq}",
        "加入我們的Discord伺服器 與玩家一起討論 {url}",
        "内部福利群 每天发红包 名额有限 私信{wx}",
        "副业交流群 带你一起赚 加V进群 {wx}",
        "股票交流群 老师每日推荐 扫码入群",
        "有兴趣的朋友可以加群一起交流：{qq}",
        "邀请你加入群聊“{city}吃货联盟” 点击加入",
        "Telegram頻道 @{handle} 搜尋加入 最新消息不漏接",
        "免费进群 群内每天分享资源 {app}:{handle}",
        "进群请先私聊管理员 验证后邀请进群",
        "追剧群 资源群 找片群 加群主{wx}",
        "歡迎加入官方LINE群 掃描QR Code即可加入",
        "群聊二维码7天内有效 过期请加{wx}",
        "粉丝专属QQ群{qq} 验证信息填写昵称",
        "加入社團 一起交流心得 社團連結:{url}",
        "开黑车队 语音群{qq} 随时上车",
        "需要进群的宝子们 评论区扣1 私信拉你",
        "考研交流群 {qq} 真题资料群内免费下载",
        "需要完整版资料的 加我进群领取",
        "兄弟们 群已经建好了 想进的评论区留言",
        "每日更新各类资源 群号见评论置顶",
        "喜欢这个游戏的来我们群玩 群号在简介里",
        "本群专注分享羊毛线报 有兴趣扫码加入",
        "进不了群的加我个人号 我手动拉",
        "抖音粉丝团 加入后可以领取专属福利",
        "读书会社群招募中 每周线上共读一本书 报名加微信",
        "附近的人都在这个群里 快来一起聊天",
        "美股讨论群 交流美股港股 不收费 欢迎加入",
        "想学摄影的朋友可以进群 群里有老师免费指导",
        "LINE官方帳號 加入好友即送折價券",
        "歡迎加入我們的Telegram討論群組 每天都有新消息",
        "對投資有興趣的朋友 可加入WhatsApp群組交流",
        "FB社團搜尋「台北親子生活」加入我們",
        "新建了一个同城跑步群 需要的私",
        "宝妈们 辅食交流群还有位置 加我备注宝宝月龄",
        "群满了 新开了一个群 需要的找我",
        "想拿内部优惠券的 进我们的群 每天都发",
        "资源群第5群开放 前200名免费 后面收费",
        "QQ频道已开通 搜索频道号加入",
        "备用联系方式 万一被封 请加这个群",
        "感兴趣的小伙伴可以扫描下方二维码 加入我们的学习小组",
        "钉钉群号 12345678 进群记得改备注",
        "粉丝福利 进群抽奖送周边",
        "关于这个问题 我们群里讨论过很多次 欢迎进群一起聊",
        "家长们可以加入我们的育儿交流群 群里有专家答疑",
        "公众号后台回复“加群” 即可获得入群方式",
        "钓鱼爱好者交流群 每周组织活动 进群看公告",
        "考公上岸交流群 资料共享 进群请私信",
        "想一起健身打卡的 可以加我 拉进打卡群",
        "群里每天都有免费的直播课 扫码即可进入",
        "我们有个内部交流群 只对老用户开放",
        "需要拼车的朋友 进拼车群 群号在下面",
        "LINE群組已開放 有興趣的朋友點連結加入",
        "歡迎加入我們的臉書社團 分享你的生活",
        "有想法的可以私信我 我拉你们进群一起搞",
        "喜欢二次元的朋友 来我们QQ群玩呀",
        "本站读者群：欢迎加入 群号见文末",
        "进群须知：群内禁止发广告 违者踢出",
        "找工作的朋友 可以加入我们的招聘信息群",
        "游戏公会招人 有意加我 拉进语音频道",
        "微信群二维码已更新 请重新扫码",
    ],
    "drugs_sex_aids": [
        "出售{drug} 纯度高 货源稳定 {wx}",
        "{drug} 同城配送 安全可靠 加{app}:{handle}",
        "{aid} 男人必备 一次见效 隐私包装",
        "{aid} 正品保证 夫妻情趣 私密发货 {url}",
        "成人用品 情趣用品 {aid} 全场包邮 {url}",
        "{goods} 批发零售 货到付款 {qq}",
        "出售{goods} 隐蔽性强 效果好 {wx}",
        "无色无味迷魂药 喷一下就倒 加微{wx}",
        "女用催情粉 溶于水 无色无味 三分钟见效",
        "补肾壮阳 金枪不倒 一夜七次郎 {url}",
        "阴茎增大增粗 无效退款 私密咨询{wx}",
        "{drug}哪里有卖 联系{qq} 快递包到",
        "处方药免处方购买 安眠药 三唑仑 {wx}",
        "代孕 供卵 包成功包男孩 {wx}",
        "香港验血查男女 胎儿性别鉴定 准确率99% {wx}",
        "溜冰工具 冰壶套装 隐秘发货 {qq}",
        "迷情水 听话药 喷雾型 快速见效 {url}",
        "真人硅胶娃娃 实体娃娃 可定制 {url}",
        "笑气 奶油气弹 整箱批发 {wx}",
        "曲马多 可待因止咳水 大量现货 {qq}",
        "印度神油 延时不射 男人的加油站 {url}",
        "性保健品 壮阳药 保密发货 货到付款",
        "出售肾源 器官配型 {wx}",
        "考试作弊器 隐形耳机 答案同步 {qq}",
        "{goods} {aid} 一手货源 欢迎咨询{wx}",
        "男性用品 延時持久 告別早洩 {url}",
        "大麻種子 大麻油 郵寄到府 {handle}",
        "催情香水 女人闻了就想要 {wx}",
        "{drug} {drug} 质量保证 诚信交易 {qq}",
        "情趣內衣 {aid} 隱私配送 {url}",
        "麻黄素 麻黄碱 化工原料 现货 {qq}",
        "私人订制 进口伟哥 美国原装 {wx}",
        "本店常年出售各类麻醉药品 品种齐全 价格优惠",
        "提供冰 K 麻 各种货 同城当面交易",
        "男士专用喷剂 喷一喷持久半小时 不麻木",
        "进口助勃药 起效快 药效长 夫妻生活更和谐",
        "成人情趣玩具 全国隐私发货 外包装无任何字样",
        "女性私密用品 一件也发 快递单不显示商品名",
        "安定片 舒乐安定 不用处方直接发货",
        "精神类药品代购 渠道稳定 有需要的联系",
        "出售仿真人偶 高端定制 材质柔软",
        "迷幻蘑菇 种子 孢子 邮寄 全程保密",
        "聽話水 迷藥 失憶水 無色無味 隨時下單",
        "男人吃了硬邦邦 女人用了受不了 私聊下单",
        "禁药减肥药 一周瘦十斤 无效退款",
        "出售各类监控设备 可手机远程观看 隐蔽安装",
        "出售假身份证 驾驶证 毕业证 全国包邮",
        "私人定制 助孕 代怀 成功率高 全程服务",
        "肾 出售 健康 有意者联系",
        "电子烟油 特殊口味 抽了很嗨 懂的来",
        "提神醒脑的好东西 玩过的都知道 私我",
        "延長時間 增強硬度 男士保健 私密郵寄",
        "泰國原裝進口春藥 效果一流 網址 www.xxyao.com",
        "进口避孕药 堕胎药 药流套装 保密发货",
        "壮阳酒 泡酒料 喝了一夜不倒",
        "女人专用迷情香 三分钟让她主动",
        "海外仓发货 新型精神活性物质 科研用途",
        "口服型液体 无色透明 放入饮料即可 一小时起效",
        "嗨丸 跳跳糖 小蓝片 有需要的留言",
        "大量收购处方药 回收医保药品 高价收",
        "进口减肥胶囊 含西布曲明 一个月瘦二十斤",
        "男性增大膏 七天见效 无效全额退款",
        "女用兴奋剂 滴在水里就可以 私聊",
        "仿真模型 全金属 可定制 懂的进",
        "出售卵子 高学历供卵 一对一服务",
        "迷幻药 致幻剂 LSD 邮票 海外直发",
        "同城快送 冰 壶 工具 全套",
        "正品蓝色小药丸 一粒管一夜 货到付款",
        "出售管制刀具 弹簧刀 甩棍 全国发货",
        "成人玩具批发 情趣内衣 网店一件代发",
        "性药代购 美国进口 正品保证",
        "延时湿巾 一擦就持久 男人的秘密武器",
    ],
    "follow_subscribe": [
        "关注{media}微博 @{handle} 第一时间获取新闻",
        "新浪微博：@{handle} 微信公众号：{media}",
        "扫码关注{media}公众号 精彩内容每日推送",
        "喜欢本文请点赞关注 一键三连 不迷路",
        "订阅我们的频道 开启小铃铛 更新不错过",
        "搜索公众号“{media}” 关注后回复关键词领取",
        "更多精彩内容 请关注{media}官方微信",
        "追蹤我們的粉絲專頁 {media} 掌握最新動態",
        "Follow us on Twitter @{handle}",
        "抖音号：{handle} 快手号：{handle} 欢迎关注",
        "把{media}设为星标 不错过每一篇推送",
        "关注{media}视频号 看更多现场画面",
        "敬请关注{media}头条号 每天三分钟了解天下事",
        "小红书搜索{media} 关注我们获取更多攻略",
        "官方微博 @{handle} 官方抖音 @{handle}",
        "订阅{media}电子报 每周一早上送达邮箱",
        "点击右上角 关注{media} 获取更多资讯",
        "{media}B站账号已开通 欢迎关注投币",
        "IG：@{handle} 歡迎追蹤 按讚分享",
        "求关注求转发 你们的支持是我更新的动力",
    ],
    "share_widget": [
        "分享到：{social} {social} {social}",
        "转发给好友 分享到朋友圈 复制链接",
        "{social}{social}{social}分享",
        "分享本文至 {social} | {social} | {social}",
        "一键转发 {social} {social} 收藏本文",
        "字号 大 中 小 打印 分享 关闭",
        "分享給朋友 {social} {social} 複製網址",
        "觉得有用就转发给身边的朋友吧",
        "收藏 | 分享 | 打印 | 纠错",
        "加入收藏 设为首页 分享到{social}",
        "转发至{social} 转发至{social}",
        "喜欢就分享吧 {social} {social} {social}",
        "Share: Facebook Twitter LINE Email",
        "分享至{social} 扫码分享给手机上的好友",
    ],
    "comment_widget": [
        "已有{num}条评论 点击查看",
        "文明上网 理性发言 请遵守评论服务协议",
        "网友评论仅供其表达个人看法 并不表明本站同意其观点",
        "我来说两句 登录 注册 匿名发表",
        "全部评论（{num}） 最新 最热",
        "发表留言 用户名 验证码 提交",
        "查看评论 共{num}人参与 {num}条跟帖",
        "留言板 欢迎留下你的看法",
        "登录后才能评论 立即登录",
        "评论 {num} 转发 {num} 点赞 {num}",
        "熱門留言 顯示更多留言",
        "你怎么看？欢迎在评论区留言讨论",
    ],
    "app_download": [
        "下载{media}客户端 看更多深度报道",
        "扫码下载APP 新用户注册送会员",
        "安卓用户请到应用商店搜索{media}",
        "App Store搜索{media}即可下载",
        "点击下载 iOS版 Android版",
        "更多精彩 请在{media}APP内阅读",
        "下載{media}App 即時新聞推播不漏接",
        "客户端专享 打开APP领取红包",
        "立即下载 安装包大小{num}MB",
        "扫描二维码 下载手机版",
        "用APP打开 阅读体验更佳",
    ],
    "business_contact": [
        "商务合作：{email}",
        "广告刊登 请洽 {phone}",
        "投稿邮箱：{email} 联系电话：{phone}",
        "合作洽谈请联系微信{wx}",
        "业务咨询热线 {phone} 欢迎来电",
        "招商加盟 {phone} 微信同号",
        "媒体合作 品牌推广 请发邮件至{email}",
        "廣告合作請聯繫 LINE ID：{handle}",
        "联系人：王经理 手机：{phone}",
        "客服QQ {qq} 工作时间9:00-18:00",
        "诚招各地代理 详情致电{phone}",
        "如需合作请私信或发送邮件到{email}",
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
    "今年“618”期间，多家电商平台推出满减、秒杀等促销活动，部分商品价格创下新低。",
    "商务部数据显示，{digit}月份全国网上零售额同比增长{digit}%，直播带货成为新的增长点。",
    "消费者王女士说，她在直播间抢购的商品到手后发现与宣传不符。",
    "有商家以“清仓甩卖”“跳楼价”为噱头，实际价格比平时还高。",
    "调查发现，部分海外代购商品来源不明，消费者维权困难。",
    "专家提醒，“买一送一”“满减”等优惠要看清规则，避免冲动消费。",
    "{city}市禁毒支队破获一起贩卖冰毒案，缴获毒品{num}克，抓获犯罪嫌疑人{digit}名。",
    "警方提醒，“笑气”“神仙水”等新型毒品伪装性强，青少年要提高警惕。",
    "国家禁毒委发布报告，全国现有吸毒人员数量连续多年下降。",
    "世界艾滋病日前夕，疾控中心在高校开展艾滋病防治宣传，发放安全套和宣传手册。",
    "医生提醒，发生高危行为后应在72小时内服用阻断药。",
    "药监部门查处一批非法销售处方药的网店，涉及壮阳、减肥等药品。",
    "法院以非法经营罪判处被告人有期徒刑{digit}年，其曾在网上出售窃听器和针孔摄像头。",
    "公安机关打掉一个组织代孕的犯罪团伙，解救婴儿{digit}名。",
    "曲马多属于国家管制的精神药品，非法买卖将被追究刑事责任。",
    "越来越多的人通过微信群、QQ群与亲友保持联系。",
    "该校建立了家长微信群，班主任每天在群里通报学生情况。",
    "警方提示，不要轻信陌生人拉你进群炒股，以免上当受骗。",
    "Telegram和WhatsApp等境外通讯软件在当地用户众多。",
    "不少诈骗团伙以“扫码进群领红包”为诱饵，骗取受害人信任。",
    "LINE是日本和台湾地区最常用的即时通讯软件之一。",
    "社区志愿者建立了居民群，及时发布防疫信息和团购物资。",
    "他在群里发了一条消息，很快得到了几十位网友的回应。",
    "{city}警方破获贩卖摇头丸案 抓获嫌疑人{digit}名",
    "禁毒民警走进社区 宣传远离新型毒品",
    "海关查获走私笑气{num}瓶",
    "网售“听话水”调查：一瓶迷药背后的黑色产业链",
    "疾控中心：{city}新增艾滋病感染者中青年学生比例上升",
    "安全套自动售货机进高校引发争议",
    "药监局严查网售壮阳药 下架商品{num}件",
    "法院审理一起非法出售窃听器案",
    "打击代孕专项行动启动",
    "成人用品店违规销售处方药被查处",
    "“双十一”消费提示：警惕先涨价后打折",
    "电商平台清仓甩卖乱象调查",
    "市场监管部门查处虚假促销 罚款{num}万元",
    "海外代购逃税被判刑 消费者需警惕",
    "直播带货成为{city}农产品销售新渠道",
    "年货节开幕 {city}商超客流增长",
    "团购群成了社区居民的“菜篮子”",
    "警惕“扫码进群领红包”骗局",
    "家长群里的烦恼：打卡接龙何时休",
    "Telegram用户规模增长 引发监管关注",
    "微信群聊被用于组织赌博 多人被抓获",
    "LINE推出新功能 群组人数上限提高",
    "荐股群骗局揭秘：所谓老师全是托",
    "消协提醒：买一送一背后可能有猫腻",
    "今年国庆黄金周期间，全市商场推出多种促销活动，销售额同比增长12%。",
    "据介绍，此次清仓处理的物资主要为积压多年的库存商品。",
    "市场监管局查处一起虚假打折案件，商家被罚款五万元。",
    "海关查获一批走私进口奶粉，当事人称系替他人代购。",
    "电商平台“双十一”当天成交额再创新高。",
    "警方在该团伙窝点查获冰毒、K粉等毒品共计3公斤。",
    "国家药监局提醒公众，不要在网上购买来源不明的减肥药。",
    "该市在高校开展艾滋病防治知识宣传，倡导安全性行为。",
    "戒毒所民警介绍，近年来合成毒品滥用问题日益突出。",
    "法院审理了一起利用微信群组织网络赌博的案件。",
    "不少老年人被拉进所谓的“养生群”，最终被骗购买高价保健品。",
    "日本LINE公司宣布与雅虎日本合并。",
    "研究显示，青少年每天使用即时通讯软件的时间超过两小时。",
    "警方破获一起网上贩卖淫秽物品案，抓获犯罪嫌疑人5名。",
    "卫生部门加强对成人用品店的监督检查。",
    "他表示，将继续加强对代孕等违法行为的打击力度。",
    "各地文明办开展“光盘行动”，倡导节约粮食。",
    "当地居民通过微信群自发组织了志愿服务队。",
    "专家介绍，大麻在多数国家仍属于受管制物品。",
    "本报讯 日前，全省禁毒工作会议在省城召开。",
    "商场促销活动吸引大批市民",
    "多地消协发布“双十一”消费提示",
    "网购节期间快递量激增 快递员加班加点",
    "警方破获特大跨境贩毒案 缴获冰毒一吨",
    "禁毒宣传进校园 学生签名承诺远离毒品",
    "世界艾滋病日：青年学生感染者比例上升",
    "微信群成基层工作新平台",
    "警惕“荐股群”骗局",
    "代孕产业链调查",
    "药监部门严查网售处方药",
    "情趣用品店扎堆学校周边引家长担忧",
    "我国网络购物用户规模达八亿",
    "商家清仓甩卖背后的秘密",
    "海外代购被判走私罪 引发社会关注",
    "本地电视台推出读者交流热线",
    "他在个人微博上发文回应了网友的关注。",
    "该报官方微博粉丝数突破三百万",
    "越来越多的年轻人通过短视频平台获取新闻",
    "这条视频在网上被大量转发，引发网友热议。",
    "新华社客户端推出新版 上线首日下载量超百万",
    "网信办约谈多家平台 整治评论区乱象",
    "调查显示，七成受访者每天会浏览朋友圈。",
    "市民可通过官方App查询公交实时到站信息。",
    "公司新闻发言人表示，将在官方网站发布后续消息。",
    "读者来信：希望报纸多刊登身边的好人好事",
    "Facebook母公司宣布裁员 股价应声上涨",
    "推特更名为X后用户数量下降",
    "警方提醒：不要随意点击陌生链接或扫描来源不明的二维码。",
    "他的文章被多家报刊转载，受到读者好评。",
    "商务合作洽谈会在南京举行 签约项目三十六个",
    "该市开通市民热线，24小时受理群众诉求。",
    "记者从市场监管局获悉，消费者可拨打12315投诉举报。",
    "本报开设“读者之声”专栏 欢迎来稿",
    "研究者在期刊上发表评论文章，呼吁加强监管。",
    "苹果公司应用商店下架多款违规应用",
]

FOREIGN: list[str] = [
    "More details are available at www.example.gov/budget.",
    "The city council approved a new budget on Tuesday",
    "Officials said the plan would fund schools and roads.",
    "Read the full report at https://www.who.int/publications",
    "Tickets go on sale on Friday at 10 a.m. at the box office",
    "The company said sales rose 12 percent in the third quarter.",
    "Police seized 3 kilograms of methamphetamine in the raid, officials said.",
    "Users can join the public Telegram channel of the ministry for updates",
    "시의회는 화요일 새 예산안을 승인했다",
    "자세한 내용은 www.seoul.go.kr 에서 확인할 수 있다.",
    "Городской совет во вторник утвердил новый бюджет",
    "Подробности на сайте www.mos.ru",
    "東京都は火曜日、新しい予算案を承認した",
    "詳しくは www.metro.tokyo.lg.jp をご覧ください",
    "Sale prices at the market fell for the third week in a row",
    "Contact the embassy at +1 202 555 0100 for visa questions.",
]
"""Lines in other scripts (English, Korean, Russian, Japanese) of the kind a multilingual page quotes: article
text, with URLs and figures, that the model must not take for junk ids."""

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
    if slot == "email":
        return "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 8))) + rng.choice(
            ["@163.com", "@qq.com", "@gmail.com", "@sina.com", "@yahoo.com.tw"]
        )
    if slot == "phone":
        return rng.choice(
            [
                "1" + str(rng.randint(3, 9)) + "".join(rng.choices(string.digits, k=9)),
                "0" + str(rng.randint(10, 99)) + "-" + "".join(rng.choices(string.digits, k=8)),
                "400-" + "".join(rng.choices(string.digits, k=3)) + "-" + "".join(rng.choices(string.digits, k=4)),
            ]
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
    return template.format_map({name: _value(rng, name) for name in dict.fromkeys(names)}) if names else template


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
    queue = [kind for kind in TEMPLATES for _ in range(PER_KIND[kind])]
    rng.shuffle(queue)
    bodies = _article_bodies()
    rng.shuffle(bodies)
    docs = []
    for k, (traditional, body) in enumerate(bodies):
        if not queue:
            break
        lines = [{"text": text, "label": "article", "category": "tune_article"} for text in body]
        if rng.random() < 0.15:
            position = rng.randint(1, max(1, len(lines) - 1))
            lines.insert(position, {"text": rng.choice(FOREIGN), "label": "article", "category": "foreign_prose"})
        for _ in range(rng.choice((0, 1, 1, 2))):
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
