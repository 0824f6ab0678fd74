"""Glossaries of ordinary words for matching names a list *translates*: the Chinese and
Arabic words of company and organisation names, each with the English words list
entries use for it (``translate``). Ordinary vocabulary only, no party's name: the
English comes from the words' dictionary senses (CC-CEDICT for Chinese), in the forms
organisations' own English names use (系统 systems, 工业 industries, 航空 aviation or
aero). Senses are written as ``normalise`` writes tokens (technologies -> technology)."""

from __future__ import annotations

#: Chinese word -> its English senses (a sense may be several words). Matched on the
#: characters, longest first.
HAN_WORDS: dict[str, tuple[str, ...]] = {
    # organisation and company words
    "集团": ("group",), "控股": ("holdings", "holding"), "国际": ("international",),
    "全球": ("global",), "联合": ("united", "joint"), "联邦": ("federal",), "国家": ("national",),
    "基金会": ("foundation", "endowment", "fund"), "基金": ("fund",),
    "协会": ("association", "society"),
    "学会": ("society", "institute"), "委员会": ("committee", "commission"),
    "联盟": ("alliance", "coalition", "union"), "中心": ("center", "centre"),
    "研究中心": ("research center", "research centre"),
    "研究所": ("institute", "research institute", "research center"),
    "研究院": ("academy", "research institute"), "研究": ("research",), "大学": ("university",),
    "学院": ("college", "academy", "institute"),
    "实验室": ("laboratory", "laboratories", "labs", "lab"), "机构": ("agency", "organization"),
    "服务": ("services", "service"), "运营": ("operations", "operating"),
    "解决方案": ("solutions",), "咨询": ("consulting",), "投资": ("investment", "investments"),
    "贸易": ("trading", "trade", "handels"), "商业": ("business", "commercial"), "银行": ("bank",),
    "金融": ("financial", "finance"), "维修中心": ("maintenance center",),
    "维修": ("maintenance",), "民主": ("democracy", "democratic", "democrats"),
    "自由": ("freedom", "liberty", "free", "liberal", "liberals"), "事务": ("affairs",),
    "繁荣": ("prosperity", "prosperous"), "责任": ("responsible", "responsibility"),
    "人权": ("human rights",),
    # industry and technology words
    "系统": ("systems", "system"), "工程": ("engineering",),
    "工业": ("industries", "industry", "industrial"), "重工业": ("heavy industries",),
    "重工": ("heavy industries",), "重机械工业": ("heavy industries",),
    "技术": ("technology", "tech"), "科技": ("technology", "tech"),
    "航空": ("aviation", "aeronautics", "aeronautical", "aero", "air"),
    "航天": ("aerospace", "space"), "航空航天": ("aerospace",), "航空宇宙": ("aerospace",),
    "宇宙航空": ("aerospace",), "宇航": ("aerospace",), "空间": ("space",), "太空": ("space",),
    "电子": ("electronics", "electronic"), "通信": ("communications", "communication"),
    "通讯": ("communications", "communication"), "防务": ("defense", "defence"),
    "国防": ("defense", "defence"), "防卫": ("defense", "defence"), "安全": ("security",),
    "动力": ("dynamics", "power"), "通用": ("general",), "原子": ("atomics", "atomic"),
    "海事": ("maritime", "marine"), "海洋": ("marine", "ocean", "oceanic"),
    "海上": ("maritime", "marine"), "战术": ("tactical",), "战略": ("strategic",),
    "任务": ("mission",), "导弹": ("missile", "missiles"), "武器": ("weapons", "armaments"),
    "军械": ("ordnance",), "陆上": ("land", "ground"), "舰艇": ("naval", "ships"),
    "无人机": ("drones", "drone", "unmanned"), "机器人": ("robotics", "robot"),
    "人工智能": ("ai", "artificial intelligence"), "光子": ("photonics",),
    "光电": ("optoelectronics", "electro optical"), "光学": ("optics", "optical"),
    "激光": ("laser", "lasers"), "半导体": ("semiconductor",), "材料": ("materials", "material"),
    "化工": ("chemical", "chemicals", "chemie"), "化学": ("chemical", "chemicals"),
    "能源": ("energy",), "电气": ("electric", "electrical"), "电机": ("electric",),
    "电力": ("power", "electric"), "汽车": ("motors", "automotive"),
    "发动机": ("engines", "engine"), "涡轮增压器": ("turbocharger",), "推进": ("propulsion",),
    "造船": ("shipbuilding",), "船舶": ("shipbuilding", "marine"), "制造": ("manufacturing",),
    "精密": ("precision",), "仪器": ("instruments",), "设备": ("equipment",),
    "装备": ("equipment", "systems"), "卫星": ("satellite",), "雷达": ("radar",),
    "传感器": ("sensors",), "软件": ("software",), "数据": ("data",), "信息": ("information",),
    "网络": ("network", "networks", "cyber"), "飞机": ("aircraft",), "飞行": ("flight",),
    "喷气机": ("jet",), "喷气": ("jet",), "电路": ("circuit", "circuits"), "高端": ("advanced",),
    "先进": ("advanced",), "创新": ("innovations", "innovation"), "集成": ("integrated",),
    "应用": ("applied",), "科学": ("science", "sciences", "scientific"),
    "智能": ("intelligent", "intelligence"), "控制": ("controls", "control"),
    "自动化": ("automation",), "数字": ("digital",), "医疗": ("medical",), "生物": ("bio",),
    "金属": ("metal", "metals", "metall"), "钢铁": ("steel",), "机械": ("machinery",),
    "边缘": ("edge",),
    "自主": ("autonomy", "autonomous"), "自治": ("autonomy", "autonomous"),
    "力量": ("power", "force"), "快速": ("rapid",), "物流": ("logistics",),
    "运输": ("transport", "transportation"), "卡车": ("trucks", "truck"),
    "石油": ("petroleum", "oil"), "数控": ("cnc", "numerical control"),
    "机床": ("machine tool", "machine tools", "machinery"),
    "机器": ("machinery", "machine", "machines"), "微电子": ("microelectronics",),
    # ordinary words of names translated whole (CC-CEDICT senses: 顶峰 summit, peak;
    # 之家 home, house of; 风暴 storm; 侦察 reconnaissance)
    "之家": ("house", "home"), "顶峰": ("summit", "peak", "pinnacle"), "立方": ("cubic", "cube"),
    "菱形": ("rhombus", "diamond"), "急速": ("rapid",), "地层": ("stratum", "strata"),
    "水库": ("reservoir",), "风暴": ("storm",), "火": ("fire",), "红": ("red",), "猫": ("cat",),
    "侦察": ("reconnaissance", "recon", "scout"), "艇": ("craft", "boat"),
    "浩劫": ("havoc", "catastrophe"), "国会": ("congress", "congressional"),
    "行政": ("executive", "administrative"),
    # trade and company words (CC-CEDICT senses, in the English Chinese companies' own
    # names use: 进出口 import and export, 货运代理 freight forwarding, 科贸 technology
    # and trade, 高科技 high tech, 工业大学 university of technology)
    "进出口": ("import export",), "世纪": ("century",), "发展": ("development",), "新": ("new",),
    "开发": ("development", "exploration"), "合作": ("cooperation",),
    "零部件": ("components", "parts"), "部件": ("components", "parts"),
    "货运代理": ("freight forwarding",), "货运": ("freight", "cargo"),
    "代理": ("agency", "agent", "forwarding"), "新材料": ("new materials",),
    "新材": ("new materials",), "科贸": ("technology trade", "science trade"),
    "高科技": ("high tech", "hi tech", "high technology"), "高科": ("high tech", "hi tech"),
    "工业大学": ("university technology", "polytechnic university"),
    "航太": ("aerospace",), "实业": ("industrial", "industries", "industry"),
    "电子科技": ("electronic technology", "electronics technology"),
    "亚洲": ("asia", "asian"), "商贸": ("trade", "trading", "commerce trade"),
    "远景": ("prospect", "vision"),
    # places and connectives
    "美国": ("america", "american", "us", "usa"), "中国": ("china", "chinese"),
    "日本": ("japan", "nippon", "nihon"), "英国": ("uk", "british"), "欧洲": ("europe",),
    "香港": ("hong kong", "hk"),
    "北方": ("northern", "north"), "南方": ("southern", "south"), "与": (),
}  # fmt: skip

#: Chinese provinces and large cities, as their names' pinyin (and a former spelling
#: lists still use: Peking, Canton, Amoy). Places as words, no party: a company's
#: registered place, which its listed name may leave out (纽威数控装备 is NEWAY CNC
#: EQUIPMENT (SUZHOU); 瑞丰新材 is Xinxiang Ruifeng New Materials), so a place is
#: optional on either side, though two different places never match (``translate``).
HAN_PLACES: dict[str, tuple[str, ...]] = {
    "北京": ("beijing", "peking"), "上海": ("shanghai",), "天津": ("tianjin",),
    "重庆": ("chongqing",), "广州": ("guangzhou", "canton"), "深圳": ("shenzhen",),
    "澳门": ("macau", "macao"), "台湾": ("taiwan",), "厦门": ("xiamen", "amoy"),
    "南京": ("nanjing",), "杭州": ("hangzhou",), "苏州": ("suzhou",), "宁波": ("ningbo",),
    "武汉": ("wuhan",), "成都": ("chengdu",), "西安": ("xian",), "沈阳": ("shenyang",),
    "大连": ("dalian",), "青岛": ("qingdao",), "长沙": ("changsha",), "郑州": ("zhengzhou",),
    "合肥": ("hefei",), "无锡": ("wuxi",), "东莞": ("dongguan",), "珠海": ("zhuhai",),
    "佛山": ("foshan",), "哈尔滨": ("harbin",), "长春": ("changchun",), "济南": ("jinan",),
    "福州": ("fuzhou",), "昆明": ("kunming",), "南昌": ("nanchang",),
    "石家庄": ("shijiazhuang",), "太原": ("taiyuan",), "丹东": ("dandong",),
    "新乡": ("xinxiang",), "延边": ("yanbian",), "常州": ("changzhou",), "温州": ("wenzhou",),
    "绵阳": ("mianyang",), "洛阳": ("luoyang",), "烟台": ("yantai",), "贵阳": ("guiyang",),
    "广东": ("guangdong",), "江苏": ("jiangsu",), "浙江": ("zhejiang",), "山东": ("shandong",),
    "河北": ("hebei",), "河南": ("henan",), "湖北": ("hubei",), "湖南": ("hunan",),
    "四川": ("sichuan",), "福建": ("fujian",), "辽宁": ("liaoning",), "吉林": ("jilin",),
    "黑龙江": ("heilongjiang",), "陕西": ("shaanxi",), "山西": ("shanxi",), "安徽": ("anhui",),
    "江西": ("jiangxi",), "云南": ("yunnan",), "贵州": ("guizhou",), "甘肃": ("gansu",),
    "海南": ("hainan",), "新疆": ("xinjiang",), "广西": ("guangxi",), "宁夏": ("ningxia",),
    "青海": ("qinghai",), "内蒙古": ("inner mongolia",),
}  # fmt: skip

#: Korean words of organisation names (Hangul, as both Koreas write them) -> English
#: senses, as the organisations' listed names use them (무역 trading, 공업 industry, 부
#: ministry or department); matched on the Hangul, longest first. Legal forms (회사,
#: 주식회사) are set aside before (``name_tables.HANGUL_LEGAL_FORMS``).
HANGUL_WORDS: dict[str, tuple[str, ...]] = {
    "무역": ("trading", "trade"), "공업": ("industry", "industries", "industrial"),
    "중공업": ("heavy industries", "heavy industry"), "항공": ("air", "airlines", "aviation"),
    "은행": ("bank", "banking"), "총국": ("general bureau",), "지도국": ("guidance bureau",),
    "위원회": ("committee", "commission"), "연합": ("union", "association", "federation"),
    "연합회": ("federation", "association", "union"), "기업": ("enterprise", "enterprises"),
    "그룹": ("group",), "개발": ("development",), "공사": ("corporation",),
    "합영": ("joint venture",), "기술": ("technology",), "대학": ("university",),
    "대학교": ("university",), "연구소": ("institute", "research institute"),
    "연구원": ("institute", "research institute"), "상사": ("trading",),
    "보험": ("insurance",), "해운": ("shipping",), "전자": ("electronics",),
    "기계": ("machinery", "machine"), "광업": ("mining",), "수출입": ("import export",),
    "국제": ("international",), "정보": ("information",), "통신": ("communications",),
    "화학": ("chemical", "chemicals"), "철강": ("steel",), "건설": ("construction",),
    "해외": ("overseas",), "에너지": ("energy",), "국가": ("state", "national"),
    "부": ("ministry", "department"), "성": ("ministry",), "국": ("bureau",),
    "협회": ("association",), "센터": ("center", "centre"),
    # the country's own name in organisation names, which English listings translate
    # (조선 Chosŏn in the North: 조선광선은행 KOREA KWANGSON BANKING CORP; 대한 in the
    # South: 대한항공 Korean Air), else give in McCune-Reischauer (CHOSON)
    "조선": ("korea", "korean", "choson"), "대한": ("korea", "korean"),
    "인민": ("peoples", "people"), "금융": ("financial", "finance"), "신용": ("credit",),
    "투자": ("investment",), "합작": ("joint venture",), "상업": ("commercial",),
    "수산": ("fisheries",), "해양": ("maritime", "ocean"), "광산": ("mining", "mine"),
}  # fmt: skip

#: Senses a listed name may leave out without a word against it: words of the company
#: kind and the country (美国IMSAR公司 is IMSAR, LLC; FN Browning集团 is FN Browning).
OPTIONAL_SENSES: frozenset[str] = frozenset(
    {
        "group",
        "holdings",
        "america",
        "us",
        "china",
        "japan",
        "uk",
        "company",
        "in",
        "federal",
        "hong kong",
        "hk",
        "iran",
        # a title before the person a body is named after (имени академика ...: lists
        # often leave it out)
        "academician",
    }
)

#: Words of the company kind (and legal forms normalisation keeps: FZCO, JSCB) a listed name may
#: have that the name in another script leaves out (RADIOTECHNICAL AND INFORMATION
#: SYSTEMS CONCERN / Радиотехнические и Информационные Системы): not compared.
LISTED_OPTIONAL: frozenset[str] = frozenset(
    {"group", "holding", "holdings", "concern", "company", "corporation", "enterprise",
     "private", "fzco", "fze", "fzc", "fz", "dmcc", "jscb", "akb", "gesellschaft",
     # the tail of the German legal form after a compound (Handelsgesellschaft mbH)
     "mbh",
     # the legal form of Belarusian and Russian state companies (republican unitary
     # enterprise, РУП), and the words lists add before a person's name (named after)
     "unitary", "republican", "named", "after", "too",
     # a military unit's "separate" (отдельный), which the Russian name may leave out
     "separate",
     # a preposition the Russian name says by a case ending (Содействия Оборонным
     # Предприятиям: for Assistance to Defence Enterprises)
     "to",
     # Russian state forms as the lists abbreviate them in Latin letters (ФГБУ, ФГУП)
     "fsbi", "fgbu", "fsue", "fgup", "fkp", "fku", "fgbou"}
)  # fmt: skip

#: Senses of the glossary words that name an organisation (a bank, a plant, a front):
#: a name with one, or with a legal form, is a company's or organisation's, which
#: sounds alone may match with a listed organisation (``translate``).
ORGANISATION_SENSES: frozenset[str] = frozenset(
    {"company", "bank", "plant", "factory", "works", "institute", "centre", "center",
     "corporation", "concern", "enterprise", "organization", "organisation", "foundation",
     "society", "association", "office", "bureau", "exchange", "group", "front",
     "movement", "network", "army", "battalion", "brigade", "brigades", "authority",
     "union", "airlines", "agency", "university", "institution", "holding", "combine"}
)  # fmt: skip

#: Chinese legal forms set aside (the company kind is weak evidence either way).
HAN_FORMS: tuple[str, ...] = (
    "股份有限公司", "有限责任公司", "有限公司", "株式会社", "有限会社", "合同会社", "公司",
)  # fmt: skip

#: Arabic (and Persian, Urdu) words of organisation names -> English senses. Matched on
#: the word with its article (ال), "for the" (لل), "and" (و) and ta marbuta (ة/ه) set
#: aside (``translate``).
ARABIC_WORDS: dict[str, tuple[str, ...]] = {
    "شرك": ("company",), "مؤسس": ("foundation", "establishment", "institution"),
    "جمعي": ("society", "association", "charity"), "بنك": ("bank",), "مصرف": ("bank",),
    "مكتب": ("office", "bureau"), "صراف": ("exchange", "money exchange"), "جماع": ("group",),
    "جبه": ("front",), "حرك": ("movement",), "حركت": ("movement",), "تنظيم": ("organization",),
    "منظم": ("organization",), "شبك": ("network",), "جيش": ("army",),
    "كتيب": ("battalion", "brigade"), "كتائب": ("brigades", "battalions"), "لواء": ("brigade",),
    "هيئ": ("authority", "commission"), "اسلامي": ("islamic",),
    "مقاتل": ("fighting", "combatant"), "خيري": ("charitable", "charity"), "اغاث": ("relief",),
    "دولي": ("international",), "تجاري": ("trading", "commercial"), "تجار": ("trading", "trade"),
    "خدمات": ("services",), "عالمي": ("world", "global"), "مصري": ("egyptian",),
    "ليبي": ("libyan",), "تونسي": ("tunisian",), "عراق": ("iraq",), "في": ("in",),
    "اهل": ("people",), "جزير": ("peninsula", "island"), "عرب": ("arabian", "arab"),
    "شام": ("levant", "sham"), "مهاجرين": ("emigrants",), "انصار": ("supporters", "ansar"),
    "و": (), "سوري": ("syrian",), "يمني": ("yemeni",), "كمپني": ("company",),
    "کمپنی": ("company",),
    # Arabic and Persian words of state bodies and companies (Persian and Urdu letters
    # are folded to their Arabic counterparts before look-up: ی ي, ک ك)
    "دول": ("state",), "مجموع": ("group",), "عام": ("general",), "شركت": ("company",),
    "سازمان": ("organisation", "organization"), "صنايع": ("industries", "industrial"),
    "گرو": ("group",), "مركز": ("centre", "center"), "شوراي": ("council",),
    "شورا": ("council",), "عالي": ("supreme", "high"), "انقلاب": ("revolution",),
    "فرهنگي": ("cultural",), "پليس": ("police",), "ملي": ("national",),
    "جمهوري": ("republic",), "دفاع": ("defence", "defense"), "نيروهاي": ("forces",),
    "نيروي": ("force", "forces"), "مسلح": ("armed",), "ستاد": ("staff", "headquarters"),
    "كل": ("general",), "بنياد": ("foundation",), "تعاون": ("cooperative", "cooperation"),
    "سپا": ("corps",), "پاسداران": ("guards", "guard"), "امنيت": ("security",),
    "سايبري": ("cyber",), "فرماندهي": ("command",), "جغرافيايي": ("geographical",),
    "دريايي": ("marine", "maritime"), "صنعتي": ("industrial",), "بازرگاني": ("trading",),
    "محدود": ("limited",), "خليج": ("gulf",), "خصوصي": ("private",),
    # common nouns of company and armed-group names (Arabic; Persian after the fold)
    "فرق": ("division", "brigade", "band"), "قلع": ("castle", "citadel", "fortress"),
    "حماي": ("protection",), "حراس": ("guarding", "security", "protection"),
    "امني": ("security",), "امن": ("security",), "ادار": ("management", "administration"),
    "سفن": ("ships", "ship", "shipping"), "شحن": ("shipping",), "نقل": ("transport",),
    "طيران": ("aviation", "airlines"), "نفط": ("oil", "petroleum"), "تجارت": ("trading", "trade"),
    "مهندسي": ("engineering",), "خبرگزاري": ("news agency",),
    "صنعت": ("industry", "industrial"), "توسع": ("development",), "استثمار": ("investment",),
    "تامين": ("supply", "procurement"), "توليد": ("production", "manufacturing"),
    "كشتيراني": ("shipping",),
    "ايران": ("iran", "iranian"), "گشت": ("patrol",), "ارشاد": ("guidance",),
    "اخلاقي": ("morality", "moral", "ethics"),
    "جمهوري_اسلامي_ايران": ("islamic republic of iran", "islamic republic iran", "iran"),
    # English business words Arabic writes by sound (loanwords)
    "شيبينغ": ("shipping",), "شيبنغ": ("shipping",), "شيبمانجمينت": ("shipmanagement",),
    "سيرفيسز": ("services",), "سرفيسز": ("services",), "افييشن": ("aviation",),
    "افياشن": ("aviation",), "تريدينغ": ("trading",), "تريدنغ": ("trading",),
    "انترناشيونال": ("international",), "انترناشونال": ("international",),
    "هولدينغ": ("holding", "holdings"), "جروب": ("group",), "غروب": ("group",),
    "تكنولوجي": ("technology", "technologies"), "انجينيرينغ": ("engineering",),
    "ماريتايم": ("maritime",), "لوجستيك": ("logistics",), "انرجي": ("energy",),
}  # fmt: skip

#: Legal forms of Arabic and Persian company names, set aside as a company's mark
#: (a unit meaning "company", which may be missing from the listed name): limited
#: liability (ذات المسؤولية المحدودة, المحدودة المسؤولية; Persian با مسئولیت محدود), free
#: zone (منطقة حرة), and abbreviations written letter by letter (ش.ذ.م.م, ش م ح, م.م.ح,
#: م.د.م.س), as matched after Persian letters are folded (ی ي, ک ك; أ ا).
ARABIC_FORMS: str = (
    r"(?:ذات\s+)?(?:ال)?مس[ؤئو]ولي[ةته]?\s+(?:ال)?محدود[ةه]?"
    r"|(?:ال)?محدود[ةه]?\s+(?:ال)?مس[ؤئو]ولي[ةته]?"
    r"|(?:با\s+)?مس[ؤئو]ولي[ةته]\s+محدود"
    r"|-\s*منطق[ةه](?:\s+حر[ةه])?|(?:ال)?منطق[ةه]\s+(?:ال)?حر[ةه]"
    r"|(?<!\w)(?:\w[.\s]\s*){2,4}\w(?!\w)"
)

#: Senses of Arabic and Persian words a listed name may leave out: the kind of body
#: Persian names of state bodies begin with (سازمان organisation), which their
#: romanised listings often drop (سازمان بسیج مستضعفین: BASIJ-E MOSTAZ'AFIN).
ARABIC_OPTIONAL_SENSES: frozenset[str] = frozenset({"organisation", "organization"})

#: Articles and particles a romanised Arabic name writes as words of their own.
ARABIC_PARTICLES: frozenset[str] = frozenset({"al", "el", "ul", "il", "ad", "ar", "as", "an"})

#: Russian (and a few Belarusian) word stems of company and organisation names -> their
#: English senses. A word matches the longest stem it begins with, when at most
#: ``CYRILLIC_ENDING`` letters (an inflection: металлургический, -ого, -ая) follow it.
#: Ordinary vocabulary only, no party's name.
CYRILLIC_WORDS: dict[str, tuple[str, ...]] = {
    "завод": ("plant", "factory", "works"), "комбинат": ("plant", "works", "combine"),
    "институт": ("institute",), "научн": ("scientific", "science", "research"),
    "исследовательск": ("research",), "технологическ": ("technological", "technology"),
    "технологи": ("technologies", "technology"), "центр": ("centre", "center"),
    "банк": ("bank",), "компани": ("company",), "групп": ("group",),
    "корпораци": ("corporation",), "концерн": ("concern",), "систем": ("systems", "system"),
    "государственн": ("state",), "федеральн": ("federal",), "национальн": ("national",),
    "международн": ("international",), "российск": ("russian", "russia"),
    "всероссийск": ("all russian", "all russia"), "объединенн": ("united",),
    "объединённ": ("united",), "объединени": ("association", "union"),
    "предприяти": ("enterprise",), "механическ": ("mechanical",),
    "металлургическ": ("metallurgical",), "авиационн": ("aviation", "aircraft"),
    "авиастроительн": ("aircraft", "aircraft building"), "ремонтн": ("repair",),
    "порохов": ("powder", "gunpowder"), "ракетн": ("missile", "missiles", "rocket"),
    "вооружени": ("armament", "armaments", "weapons", "arms"),
    "радиотехническ": ("radiotechnical", "radio engineering", "radio technical"),
    "информационн": ("information",), "транспортн": ("transport",),
    "транспорт": ("transport",), "лизингов": ("leasing",), "коммерческ": ("commercial",),
    "депозитари": ("depository",), "расчетн": ("settlement",), "расчётн": ("settlement",),
    "бирж": ("exchange",), "клирингов": ("clearing",), "движени": ("movement",),
    "общественн": ("public", "social", "non governmental"),
    "организаци": ("organization", "organisation"),
    "союз": ("union",), "офицер": ("officers", "officer"), "безопасност": ("security",),
    "батальон": ("battalion",), "военн": ("military",), "патриотическ": ("patriotic",),
    "телевизионн": ("television",), "радиовещательн": ("broadcasting", "radio broadcasting"),
    "электронн": ("electronic", "electronics"), "электроник": ("electronics",),
    "автомобильн": ("automobile", "automotive"), "беспилотн": ("unmanned",),
    "восточн": ("eastern", "east"), "обозрени": ("outlook", "review"),
    "медн": ("copper",), "русск": ("russian",), "венчурн": ("venture",),
    "детск": ("children", "childrens"), "морск": ("marine", "maritime", "sea"),
    "арктическ": ("arctic",), "управляющ": ("management", "managing"),
    "точн": ("precise", "precision"),
    "развити": ("development",), "реконструкци": ("reconstruction",),
    "конструкторск": ("design",), "бюро": ("bureau", "office"),
    "производственн": ("production", "industrial"), "промышленн": ("industrial", "industry"),
    "судостроительн": ("shipbuilding",), "приборостроени": ("instrument making", "instrumentation"),
    "топливн": ("fuel",), "энергетическ": ("energy", "power"), "нефтян": ("oil",),
    "газов": ("gas",), "стал": ("steel",), "казенн": ("state", "state owned"),
    "казённ": ("state", "state owned"), "унитарн": ("unitary",),
    "бюджетн": ("budgetary", "budget"), "учреждени": ("institution",),
    "образовательн": ("educational",), "кузнечн": ("forge", "forging"), "прессов": ("press",),
    "финансов": ("financial", "finance"), "инновационн": ("innovation", "innovative"),
    "аналитическ": ("analytical", "analytic"), "эксплуатирующ": ("operating",),
    "тактическ": ("tactical",), "материал": ("materials", "material"),
    "ремонт": ("repair",), "центральн": ("central",), "менеджмент": ("management",),
    "сервис": ("service", "services"), "инжиниринг": ("engineering",),
    "современн": ("modern",), "механик": ("mechanics",), "автоматик": ("automatics", "automation"),
    "историческ": ("historical", "history"), "общероссийск": ("all russian", "all russia"),
    "авиакомпани": ("airlines", "airline"), "ядерн": ("nuclear",), "атомн": ("nuclear", "atomic"),
    "хаб": ("hub",), "инвестиционн": ("investment",), "холдинг": ("holding", "holdings"),
    "торгов": ("trading", "trade"), "строительн": ("construction", "building"),
    "нов": ("new",), "контрагент": ("counterparty",),
    "содействи": ("promotion", "assistance", "support"),
    # words of the EU annexes' Russian organisation names (senses as the annexes' own
    # English renderings use them: Гостиница Hotel, Республиканское Republican)
    "республиканск": ("republican",), "республик": ("republic",),
    "федераци": ("federation",), "гостиниц": ("hotel",), "фабрик": ("factory",),
    "табачн": ("tobacco",), "служб": ("service",), "агентств": ("agency",),
    "парти": ("party",), "фонд": ("fund", "foundation"), "фронт": ("front",),
    "народн": ("people", "peoples", "popular"), "общин": ("community",),
    "машиностроительн": ("machine building", "engineering", "mechanical engineering"),
    "машиностроени": ("machine building", "mechanical engineering", "engineering"),
    "приборостроительн": ("instrument making", "instrument building", "instrument engineering"),
    "космическ": ("space",), "гражданск": ("civil",), "комплекс": ("complex", "systems"),
    "телеканал": ("tv channel", "channel"), "аккумуляторн": ("battery",),
    "опытн": ("experimental",),
    "спутников": ("satellite",), "безопасн": ("safe", "secure"),
    "мониторинг": ("monitoring",), "вертолетн": ("helicopter",), "вертолётн": ("helicopter",),
    "поддержк": ("support",), "защит": ("protection", "defence", "defense"),
    "соотечественник": ("compatriots",), "един": ("united", "unified"),
    "справедлив": ("just", "fair"), "патриот": ("patriots", "patriot"),
    "либеральн": ("liberal",), "демократическ": ("democratic",),
    "коммунистическ": ("communist",), "гварди": ("guard",), "войск": ("troops", "forces"),
    "надзор": ("supervision",), "добровол": ("volunteers", "volunteer"),
    "волонтер": ("volunteers", "volunteer"), "волонтёр": ("volunteers", "volunteer"),
    "дипломати": ("diplomacy",), "специальн": ("special",), "назначени": ("purpose",),
    "химическ": ("chemical",), "электротехническ": ("electrotechnical", "electrical"),
    "железнодорожн": ("railway", "railroad"), "техник": ("equipment", "technology"),
    "страхов": ("insurance",), "нефтеперерабатывающ": ("oil refinery", "oil refining"),
    "учебн": ("training",), "подготовк": ("training",), "искусственн": ("artificial",),
    "волокн": ("fiber", "fibre"), "полупроводников": ("semiconductor",),
    "прибор": ("devices", "instruments", "instrument"), "оборудовани": ("equipment",),
    "территори": ("territorial", "territories", "territory"), "молодеж": ("youth",),
    "молодёж": ("youth",), "белорусск": ("belarusian",), "автономн": ("autonomous",),
    "некоммерческ": ("non commercial", "non profit"), "дирекци": ("directorate",),
    "выставк": ("exhibition",), "достижени": ("achievements",), "оружейн": ("weapons",),
    "производств": ("production",), "техническ": ("technical", "technology"),
    "академи": ("academy",),
    "наук": ("sciences", "science"), "инженерн": ("engineering",),
    "бронетанков": ("armoured", "armored", "armor", "armour"), "патронн": ("cartridge",),
    "навигаци": ("navigation",), "испытани": ("testing", "tests"), "боев": ("combat",),
    "летательн": ("aerial",), "аппарат": ("vehicle", "vehicles"), "перв": ("first",),
    "гусеничн": ("caterpillar", "crawler"), "тягач": ("tractors", "tractor"),
    "колесн": ("wheel", "wheeled"), "колёсн": ("wheel", "wheeled"),
    "проектировани": ("design",), "высокоточн": ("high precision",), "дом": ("house",),
    "сырь": ("raw materials",), "авиаци": ("aviation",), "академик": ("academician",),
    "физик": ("physics", "physical"), "химик": ("chemical", "chemistry"),
    "оптик": ("optics", "optical"), "филиал": ("branch",), "внешн": ("foreign", "external"),
    "разведк": ("intelligence",), "управлени": ("directorate", "administration", "department"),
    "президент": ("president", "presidential"), "гуманитарн": ("humanitarian",),
    "сотрудничеств": ("cooperation",), "независим": ("independent",),
    "содружеств": ("commonwealth",), "массов": ("mass",),
    "коммуникаци": ("communications", "communication"), "проблем": ("problems",),
    "физическ": ("physical",), "измерени": ("measurements",), "высок": ("high",),
    "энерги": ("energy", "energies"), "теоретическ": ("theoretical",),
    "экспериментальн": ("experimental",), "отделени": ("branch", "department", "division"),
    "сибирск": ("siberian",), "дальневосточн": ("far eastern", "far east"),
    "судостроени": ("shipbuilding",), "судоремонт": ("ship repair", "shiprepair"),
    "судоремонтн": ("ship repair", "shiprepair"), "порт": ("port",),
    "оборонн": ("defence", "defense"), "ассоциаци": ("association",), "парк": ("park",),
    "космонавтик": ("cosmonautics",), "логистик": ("logistics",),
    "связ": ("communications", "communication"), "профессиональн": ("professional",),
    "внутренн": ("internal",), "исполнени": ("execution",),
    "наказани": ("punishment", "punishments", "sentences"), "част": ("unit",),
    "войсков": ("military",), "борьб": ("warfare",), "отдельн": ("separate",),
    "полярн": ("polar",), "морепродукт": ("seafood",), "главн": ("main", "chief"),
    "город": ("city",), "генеральн": ("general",),
    "самолетостроительн": ("aircraft building", "aircraft"),
    "самолётостроительн": ("aircraft building", "aircraft"),
    "вертолетостроени": ("helicopter building", "helicopter"),
    "металлокерамическ": ("metal ceramic",), "гидравлик": ("hydraulics",),
    "аэрокосмическ": ("aerospace",), "биологическ": ("biological",), "синтез": ("synthesis",),
    "специализаци": ("specialization", "specialisation"), "продуктов": ("product", "food"),
    "автоматизаци": ("automation",),
    "телекоммуникационн": ("telecommunication", "telecommunications"),
    "внешнеэкономическ": ("foreign economic",), "орден": ("order",),
    "трудов": ("labour", "labor"), "красн": ("red",), "знамен": ("banner",),
    "проектн": ("design",), "образовани": ("education",), "высш": ("higher",),
    "стандарт": ("standard",), "строени": ("building",), "оздоровительн": ("health",),
    "летн": ("flight",), "лётн": ("flight",), "отряд": ("detachment", "squad"),
    "катализ": ("catalysis",), "компетенци": ("competence",), "сфер": ("field", "sphere"),
    "средств": ("means",), "противоправн": ("illegal",), "применени": ("use", "application"),
    "прав": ("rights", "right", "law"), "предназначени": ("purpose",),
    "навигационн": ("navigation",),
    "радиоэлектронн": ("radioelectronic", "radio electronic", "electronic"),
    "зарубеж": ("diaspora", "abroad"), "рубеж": ("abroad",), "искусств": ("art", "arts"),
    "правов": ("law", "legal"), "всесоюзн": ("all union",), "правд": ("truth",),
    "времен": ("time",), "внедренческ": ("implementation",), "дел": ("affairs",),
    "делов": ("business",), "лиг": ("league",), "проживающ": ("living", "residing"),
    # places as words: the capitals and towns whose adjective or case is not the town's
    # name plus an ending (Нижегородский: Nizhny Novgorod; Москве: Moscow)
    "нижегородск": ("nizhny novgorod", "nizhniy novgorod", "nizhni novgorod"),
    "московск": ("moscow",), "москв": ("moscow",), "санкт": ("saint", "st"),
    "петербургск": ("saint petersburg", "st petersburg", "petersburg"),
    "петербург": ("saint petersburg", "st petersburg", "petersburg"),
    "сибир": ("siberia",), "росси": ("russia",),
    # Belarusian spellings of the same words
    "рэспубліканск": ("republican",), "рэспублік": ("republic",), "унітарн": ("unitary",),
    "прадпрыемств": ("enterprise",), "нацыянальн": ("national",), "кампані": ("company",),
    "холдынг": ("holding", "holdings"), "гасцініц": ("hotel",), "фабрык": ("factory",),
    "тытунёв": ("tobacco",), "беларуск": ("belarusian",), "колав": ("wheel", "wheeled"),
    "цягач": ("tractors", "tractor"), "моладз": ("youth",), "саюз": ("union",),
    "кіруюч": ("managing", "management"),
    "вытворч": ("production",), "абяднанн": ("association", "union"),
    "рамонт": ("repair",), "рамонтн": ("repair",), "авіяцыйн": ("aviation", "aircraft"),
    "канструктарск": ("design",), "дзяржаўн": ("state",),
    "узбраенн": ("armament", "armaments", "weapons", "arms"),
    "ўзбраенн": ("armament", "armaments", "weapons", "arms"),
    # words Russian acronyms abbreviate (ОДК: объединённая двигателестроительная
    # корпорация, United Engine Corporation; СПГ: сжиженный природный газ, LNG)
    "двигател": ("engine", "engines"), "двигателестроительн": ("engine", "engine building"),
    "сжиженн": ("liquefied",), "природн": ("natural",),
}  # fmt: skip
#: First parts of Russian (and Belarusian) compound words, with their senses: a word
#: outside ``CYRILLIC_WORDS`` that begins with one is read as it and the rest
#: (авиаремонтный: aircraft repair; радиоэлектронный: radio electronic, which a
#: listed RADIOELECTRONIC also renders, a sense beginning a compound)
CYRILLIC_PREFIXES: dict[str, tuple[str, ...]] = {
    "авиа": ("aircraft", "aviation", "aero", "air"), "авія": ("aircraft", "aviation", "aero"),
    "радио": ("radio",), "теле": ("tele", "television"), "тэле": ("tele", "television"),
    "медиа": ("media",), "тепло": ("thermal", "heat"), "физико": ("physics", "physical"),
    "радыё": ("radio",), "электро": ("electro", "electric", "electrical"),
    "нано": ("nano",), "гидро": ("hydro",), "энерго": ("energy", "power"),
    "нефте": ("oil",), "агро": ("agro",), "био": ("bio",), "микро": ("micro",),
    "спец": ("special",), "авто": ("auto", "automotive"),
}  # fmt: skip
#: Russian abbreviations of organisation kinds, matched as whole words, with the
#: English lists give for them (НИИ: scientific research institute, or NII as written)
CYRILLIC_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "нии": ("scientific research institute", "research institute", "nii"),
    "цнии": ("central scientific research institute", "central research institute", "tsnii"),
    "окб": ("experimental design bureau", "design bureau", "okb"),
    "кб": ("design bureau", "design office", "kb"),
    "нпо": ("research production association", "npo"),
    "нпп": ("research production enterprise", "npp"), "чвк": ("private military company", "pmc"),
    "аэс": ("nuclear power plant", "npp"), "гэс": ("hydroelectric power plant", "hpp"),
    "тех": ("technology",),
    "нпз": ("oil refinery", "refinery", "npz"),
    "нпц": ("research and production center", "scientific production center", "npc", "npts"),
    "нтц": ("scientific and technical center", "scientific technical center", "stc", "ntc",
            "ntts"),
    "рэб": ("electronic warfare", "reb"), "вкс": ("aerospace forces", "vks"),
}  # fmt: skip
#: Most letters an inflection adds to a stem of ``CYRILLIC_WORDS``.
CYRILLIC_ENDING = 4
#: Cyrillic legal forms (abbreviated) and particles, set aside (legal forms are weak
#: evidence; и and, имени named after, па Belarusian по ...); a legal form also tells
#: a company's name (``translate.organisation``)
CYRILLIC_FORMS: frozenset[str] = frozenset(
    {"ооо", "оао", "зао", "пао", "ао", "нао", "аат", "таа", "зат", "пат", "прат", "тов",
     "фгуп", "фгбу", "фку", "фкп", "гуп", "муп", "акб", "ук",
     # Kazakh (жшс, ТОО: limited liability partnership; ақ, joint stock company)
     "тоо", "жшс", "ақ",
     # АНО (autonomous non-profit organisation), ГК (group of companies), МКАО
     # (international company JSC), ФГБОУ (federal state budgetary educational institution)
     "ано", "гк", "мкао", "фгбоу",
     # English legal forms as Russian transcribes them (Распериа Трейдинг Лимитед)
     "лимитед", "лтд", "инк"}
)  # fmt: skip
CYRILLIC_SKIP: frozenset[str] = CYRILLIC_FORMS | frozenset(
    {"и", "с", "по", "для", "имени", "им", "імя", "де", "па", "і", "в", "на", "за"}
)
#: Belarusian legal forms, abbreviated and as words: they tell a Belarusian name where
#: its letters do not (ТАА ‘Лагекс’)
BELARUSIAN_FORMS: frozenset[str] = frozenset({"таа", "аат", "зат"})
BELARUSIAN_FORM_STEMS: tuple[str, ...] = ("акцыянерн", "таварыств", "адкрыт", "абмежаван")
#: ... and stems of legal-form words (matched like ``CYRILLIC_WORDS``)
CYRILLIC_FORM_STEMS: tuple[str, ...] = (
    "акционерн", "обществ", "товариществ", "открыт", "закрыт", "публичн", "ограниченн",
    "ответственност",
    "акцыянерн", "таварыств", "адкрыт",
    # Ukrainian (товариство з обмеженою відповідальністю, акціонерне товариство,
    # відкрите, закрите, публічне, приватне) and Belarusian (з абмежаванай
    # адказнасцю) forms
    "товариств", "обмежен", "відповідальн", "акціонерн", "відкрит", "закрит", "публічн",
    "абмежаван", "адказнасц",
    # Kazakh (жауапкершілігі шектеулі серіктестігі: limited liability partnership;
    # акционерлік қоғамы: joint stock company)
    "жауапкершіліг", "шектеул", "серіктестіг", "акционерлік", "қоғам",
    # Kyrgyz (жоопкерчилиги чектелген коому: limited liability company)
    "жоопкерчилиг", "чектелген", "коом",
)  # fmt: skip

#: The characters of the Xinhua transliteration tables (英语姓名译名手册, 世界人名翻译大辞典;
#: the syllable grids of the GB/T 17693 series follow the same choices): one character
#: per foreign syllable, and the usual characters of women's names. Written out from
#: the tables' rows (a, b, p, d, t, g, k, f, v/w, s, sh, z, ts, j, h, m, n, l, r, y and
#: the consonant column); a name of one part is read as a surname alone only if all its
#: characters are here (``transcription``). Characters only, no name.
TRANSLITERATION_CHARACTERS: frozenset[str] = frozenset(
    "阿埃艾伊奥乌厄尔安恩因昂翁英欧鸥"
    "巴贝比博布班本宾邦彭拜鲍伯宝"
    "帕佩皮波普潘平庞蓬派珀泼"
    "达德迪多杜丹登丁当东戴道蒂"
    "塔特托图坦滕廷唐通泰陶"
    "加盖吉戈古甘根冈贡格高圭"
    "卡凯基科库坎肯金康孔克考奎"
    "法费菲福富凡芬方丰夫弗"
    "瓦韦维沃武万文温旺威怀华惠"
    "萨塞西索苏桑森辛松斯丝莎瑟"
    "沙谢希肖舒尚申欣什雪"
    "扎泽齐佐祖赞曾津藏宗兹"
    "察策奇措楚灿岑钦仓聪茨查"
    "贾杰乔朱詹真京章琼"
    "哈赫霍胡汉亨杭洪豪"
    "马梅米莫穆曼门明芒蒙姆迈毛麦玛"
    "纳内尼诺努南嫩宁农娜妮"
    "拉莱利洛卢兰伦林朗隆勒罗鲁里雷赖劳"
    "亚耶约尤扬延雅叶"
    "丽莉琳娅黛露蕾薇茜珍琪"
    "顿彼逊思"
)

#: Readings the tables give characters whose common pinyin differs (什么 shen: 什 is
#: shi in 格什曼; 勒 lei: le; 扎 zha: za, the tables' z row).
TRANSLITERATION_READINGS: dict[str, str] = {
    "什": "shi", "勒": "le", "扎": "za", "曾": "zeng", "藏": "zang", "茜": "xi", "单": "dan",
}  # fmt: skip

#: Syllables the tables write for a consonant without a vowel (their consonant column:
#: 布 普 德 特 格 克 夫 斯 兹 茨 什 奇 赫 姆 恩 尔 勒): no vowel in a rendering's shape.
CONSONANT_SYLLABLES: frozenset[str] = frozenset(
    {"bu", "pu", "de", "te", "ge", "ke", "fu", "si", "zi", "ci", "shi", "qi", "he", "mu",
     "en", "er", "le"}
)  # fmt: skip

#: Common English given names as Chinese writes them by convention (the given-name
#: entries of the Xinhua tables, 英语姓名译名手册: 约翰 John, not the sound yue-han) ->
#: the spellings a list gives them. General knowledge of the conventional renderings,
#: no party's name. A full name whose parts' keys are short (约翰·帕克 'SN BK') is read
#: only when its given parts are these (``transcription``).
GIVEN_NAME_RENDERINGS: dict[str, tuple[str, ...]] = {
    "约翰": ("john", "johann", "jon"), "詹姆斯": ("james",), "迈克尔": ("michael",),
    "迈克": ("mike", "michael"), "大卫": ("david",), "戴维": ("david",), "彼得": ("peter",),
    "保罗": ("paul",), "托马斯": ("thomas",), "汤姆": ("tom", "thomas"),
    "理查德": ("richard",), "罗伯特": ("robert",), "威廉": ("william",),
    "查尔斯": ("charles",), "约瑟夫": ("joseph",), "乔治": ("george",),
    "爱德华": ("edward",), "亨利": ("henry",), "马克": ("mark", "marc"),
    "史蒂文": ("steven", "stephen"), "史蒂夫": ("steve",), "丹尼尔": ("daniel",),
    "安德鲁": ("andrew",), "马修": ("matthew",), "克里斯托弗": ("christopher",),
    "克里斯": ("chris",), "亚当": ("adam",), "本杰明": ("benjamin",),
    "乔纳森": ("jonathan",), "帕特里克": ("patrick",), "安东尼": ("anthony",),
    "凯文": ("kevin",), "布莱恩": ("brian", "bryan"), "斯科特": ("scott",),
    "杰弗里": ("jeffrey", "geoffrey"), "伊恩": ("ian", "iain"), "肖恩": ("sean", "shaun"),
    "康纳": ("conor", "connor"), "尼古拉斯": ("nicholas", "nicolas"), "塞缪尔": ("samuel",),
    "玛丽": ("mary", "marie"), "伊丽莎白": ("elizabeth",), "萨拉": ("sarah", "sara"),
    "莎拉": ("sarah", "sara"), "安娜": ("anna", "ana"), "凯瑟琳": ("catherine", "katherine"),
    "凯西": ("kathy", "cathy", "casey"), "艾米": ("amy",), "简": ("jane",),
    "海伦": ("helen",), "劳拉": ("laura",), "南希": ("nancy",), "琳达": ("linda",),
    "苏珊": ("susan",), "詹妮弗": ("jennifer",), "杰西卡": ("jessica",), "艾玛": ("emma",),
}  # fmt: skip

#: Characters whose pinyin is one of ``CONSONANT_SYLLABLES`` but which the Xinhua
#: tables write only for the syllable with its vowel: 科 ko (克 is k or ke), 戈 go (格
#: is g or ge). Their syllable keeps its vowel in a rendering's shape (彼蒂科菲尔
#: bi-di-ko-fei-er, Bütikofer; 戈尔巴乔夫 Gorbachev).
VOWELLED_CHARACTERS: frozenset[str] = frozenset("科戈")
