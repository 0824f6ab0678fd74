"""Word tables of screening's name normalisation: legal forms (Latin, Chinese, Korean)
across languages and romanisations, abbreviations, branch and office words, stop words,
the pinyin glossary of company words, and the middle words a legal form may hold.
``normalise.py`` applies them."""

from __future__ import annotations

#: Chinese legal forms, removed before transliteration (longest first).
HAN_LEGAL_FORMS: tuple[str, ...] = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "分公司",
    "总公司",
    "公司",
)


#: Legal forms and company-type words, as token sequences after transliteration.
LEGAL_FORMS: frozenset[tuple[str, ...]] = frozenset(
    tuple(form.split())
    for form in (
        # English and international
        "co",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "llp",
        "lp",
        "plc",
        "pte",
        "pty",
        "pvt",
        "private limited",
        "public limited",
        "limited liability company",
        "limited liability partnership",
        "holdings ltd",
        "joint stock company",
        "open joint stock company",
        "closed joint stock company",
        "public joint stock company",
        "jsc",
        "ojsc",
        "cjsc",
        "pjsc",
        "fze",
        "fzco",
        "fzc",
        "sdn bhd",
        "bhd",
        "tbk",
        "pt",
        "kk",
        "kabushiki kaisha",
        "co ltd",
        "coltd",
        # European
        "gmbh",
        "ag",
        "kg",
        "se",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "sl",
        "bv",
        "nv",
        "ab",
        "oy",
        "oyj",
        "as",
        "asa",
        "aps",
        "sro",
        "kft",
        "zrt",
        "sp zoo",
        "doo",
        "ltda",
        "cia",
        "sac",
        "sc",
        "cv",
        "s de rl",
        "s de rl de cv",
        "sa de cv",
        "san tic ltd sti",
        "ltd sti",
        # Russian and other Cyrillic forms, after transliteration
        "ooo",
        "oao",
        "zao",
        "pao",
        "ao",
        "nao",
        "tov",
        "pat",
        "fgup",
        "gup",
        "mup",
        "obshchestvo s ogranichennoi otvetstvennostyu",
        "obshchestvo s ogranichennoy otvetstvennostyu",
        "aktsionernoe obshchestvo",
        "otkrytoe aktsionernoe obshchestvo",
        "zakrytoe aktsionernoe obshchestvo",
        "publichnoe aktsionernoe obshchestvo",
        "federalnoe gosudarstvennoe unitarnoe predpriyatie",
        "aktsionernoe",
        "obshchestvo",
        "otkrytoe",
        "zakrytoe",
        "publichnoe",
        # other romanisations of the same Russian words (BGN/PCGN, GOST, German, ad hoc)
        "akcionernoe",
        "aktzionernoe",
        "aktsionernoye",
        "aktsionernoje",
        "obschestvo",
        "obshestvo",
        "obshtestvo",
        "obshchestwo",
        "otkrytoye",
        "zakrytoye",
        "publichnoye",
        "s ogranichennoi otvetstvennostyu",
        "s ogranichennoy otvetstvennostyu",
        "s ogranichennoj otvetstvennostju",
        "s ogranichenoy otvetstvenostyu",
        "s ogranichennoi otvetstvennostiu",
        "joint stock",
        "closed joint stock",
        "open joint stock",
        "public joint stock",
        "joint stock co",
        "tovarystvo z obmezhenoyu vidpovidalnistyu",
        # Ukrainian and Belarusian forms (anyascii, and the national romanisations of
        # ``slavic.national_reading``)
        "tovaristvo z obmezhenoyu vidpovidalnistyu",
        "tovarystvo z obmezhenoiu vidpovidalnistiu",
        "aktsionerne tovaristvo",
        "aktsionerne tovarystvo",
        "privatne aktsionerne tovaristvo",
        "pryvatne aktsionerne tovarystvo",
        "publichne aktsionerne tovaristvo",
        "publichne aktsionerne tovarystvo",
        "vidkrite aktsionerne tovaristvo",
        "vidkryte aktsionerne tovarystvo",
        "aktsionernyy",
        "aktsionernyi",
        "aktsionerne",
        "tovaristvo",
        "tovarystvo",
        "aktsyyanernae",
        "aktsyianernae",
        "tavarystva",
        "prat",
        "vat",
        "aat",
        "taa",
        "zat",
        "aktsyyanernae tavarystva",
        "aktsyianernae tavarystva",
        "adkrytae aktsyyanernae tavarystva",
        "adkrytae aktsyianernae tavarystva",
        "zakrytae aktsyyanernae tavarystva",
        "zakrytae aktsyianernae tavarystva",
        "tavarystva z abmezhavanay adkaznastsyu",
        "tavarystva z abmezhavanai adkaznastsiu",
        # Spanish, Portuguese, Italian, French, German, Dutch, Turkish long forms
        "sociedad anonima",
        "sociedad anonima de capital variable",
        "sociedad de responsabilidad limitada",
        "sociedade anonima",
        "limitada",
        "societa per azioni",
        "societe anonyme",
        "societe a responsabilite limitee",
        "gesellschaft mit beschrankter haftung",
        "gesellschaft mbh",
        "aktiengesellschaft",
        "besloten vennootschap",
        "naamloze vennootschap",
        "sanayi ve ticaret",
        "sanayi ve ticaret ltd sti",
        "sanayi ve ticaret as",
        "limited sirketi",
        "anonim sirketi",
        "free zone establishment",
        "free zone company",
        # East Asian forms after transliteration (Korean, Japanese kanji read as pinyin)
        "jusik hoesa",
        "jusighoesa",
        "chusik hoesa",
        "yuhan hoesa",
        "zhu shi hui she",
        "kabushiki gaisha",
        "kabushikigaisha",
        "kabushikikaisha",
        "yugen gaisha",
        "yugen kaisha",
        "godo kaisha",
        "goshi kaisha",
        "gomei kaisha",
        # Thai (after anyascii, and RTGS as pythainlp writes it): borisat (company),
        # chamkat (limited), mahachon (public)
        "brisat",
        "mahatn",
        "brisath",
        "cakhad",
        "mhachn",
        "borisat",
        "chamkat",
        "mahachon",
        # Chinese forms that arrive already romanised
        "youxian gongsi",
        "you xian gong si",
        "gufen youxian gongsi",
    )
)


#: Single-token forms that are safe to remove in the middle of a name too
#: ("Huawei Investment Co., Ltd., Guiyang"); short ones ("sa", "as", "ao") are only
#: removed at either end, where legal forms sit.
_MIDDLE_OK: frozenset[str] = frozenset(
    {
        "co",
        "ltd",
        "llc",
        "inc",
        "corp",
        "gmbh",
        "limited",
        "company",
        "corporation",
        "ooo",
        "oao",
        "zao",
        "pao",
        "jsc",
        "ojsc",
        "cjsc",
        "pjsc",
        "plc",
        "coltd",
        "ltda",
        "bhd",
    }
)


#: Common abbreviations, expanded so that both spellings compare equal.
ABBREVIATIONS: dict[str, str] = {
    "hi": "high",
    "intl": "international",
    "int": "international",
    "tech": "technology",
    "techn": "technology",
    "technologies": "technology",
    "mfg": "manufacturing",
    "eng": "engineering",
    "engg": "engineering",
    "mach": "machinery",
    "natl": "national",
    "sci": "science",
    "svc": "services",
    "svcs": "services",
    "mgmt": "management",
    "dev": "development",
    "univ": "university",
    "inst": "institute",
    "res": "research",
    "ind": "industrial",
    "inds": "industries",
    "indus": "industries",
    "elec": "electronics",
    "bros": "brothers",
    "grp": "group",
    "hldgs": "holdings",
    "assn": "association",
    "shpg": "shipping",
    "intl.": "international",
    "org": "organization",
    "orgn": "organization",
    "assoc": "association",
    "dept": "department",
    "mgt": "management",
    "mktg": "marketing",
    "equip": "equipment",
    "chem": "chemical",
    "pharm": "pharmaceutical",
    "sys": "systems",
    "coop": "cooperative",
    # British and American spellings of the words organisation names use
    "organisation": "organization",
    "organisations": "organizations",
    "centre": "center",
    "centres": "centers",
    "defence": "defense",
    "programme": "program",
    "labour": "labor",
    "aluminium": "aluminum",
}


#: Words that name a part of an organisation rather than another one: in a longer name
#: that contains a listed one ("Gulf Gate Shipping Co. LLC Dubai Branch"), they and the
#: place next to them are weak evidence against the match.
BRANCH_WORDS: frozenset[str] = frozenset(
    {
        "branch", "branches", "office", "offices", "representative", "representation",
        "rep", "liaison", "filial", "filiale", "filiala", "sucursal", "succursale",
        "niederlassung", "zweigniederlassung", "agency", "subsidiary", "division",
        "plant", "factory", "headquarters", "hq", "in", "at", "fenjongsi", "fen", "bangongshi",
    }
)  # fmt: skip


#: Pinyin of common business words, in the English that list entries use for them
#: (Chinese names are listed half transliterated, half translated: 丹东天富贸易有限公司
#: is DANDONG TIANFU TRADE CO., LTD.). Matched on syllable runs, longest first.
PINYIN_GLOSSARY: dict[str, str] = {
    "mao yi": "trade", "shi ye": "industrial", "guo ji": "international", "ke ji": "technology",
    "ji tuan": "group", "jin chu kou": "import export", "gong ye": "industrial",
    "da xue": "university", "yan jiu suo": "research institute",
    "yan jiu yuan": "research institute",
    "kong gu": "holdings", "wang luo": "network", "jin shu": "metal", "cai liao": "material",
    "fa zhan": "development", "wu liu": "logistics", "hai yun": "shipping",
    "dian zi": "electronics", "tou zi": "investment", "zhi zao": "manufacturing",
    "she bei": "equipment", "hua gong": "chemical", "kuang ye": "mining", "yin hang": "bank",
    "hang kong": "aviation", "hang tian": "aerospace", "shi ji": "century", "xi tu": "rare earth",
    "ci cai": "magnetic material", "yong ci": "permanent magnet", "zhong guo": "china",
    "dian zi ke ji": "electronic technology", "jing mi": "precision", "ji xie": "machinery",
    # organisation and industry words (glosses as in CC-CEDICT, the English that
    # organisations' own English names use for them)
    "ji jin hui": "foundation", "ji jin": "fund", "min zhu": "democracy", "he zuo": "cooperation",
    "ke xue": "science", "xue yuan": "academy", "zao chuan": "shipbuilding",
    "neng yuan": "energy", "wei xing": "satellite", "yi liao": "medical",
    "hang tai": "aerospace", "xie hui": "association", "wei yuan hui": "committee",
    "lian meng": "alliance", "ban dao ti": "semiconductor", "tong xin": "communications",
    "ruan jian": "software", "gong cheng": "engineering", "shi you": "petroleum",
    "yi yao": "pharmaceutical", "yun shu": "transport", "jian she": "construction",
    "dian qi": "electric", "guo fang": "defense", "zhong gong": "heavy industries",
    "yan jiu zhong xin": "research center", "zi you": "liberal",
}  # fmt: skip


#: Words that carry no identity; dropped from the token list.
STOPWORDS: frozenset[str] = frozenset({"the", "of", "and", "for", "de", "la", "le", "del"})


#: Hangul legal forms (주식회사 joint-stock company, 유한회사 limited company, 회사 company)
HANGUL_LEGAL_FORMS: tuple[str, ...] = ("주식회사", "유한회사", "합자회사", "회사")


#: Japanese legal forms, removed before the Japanese reading (株式会社 kabushiki kaisha,
#: 有限会社 yugen kaisha, 合同会社 godo kaisha, 合資会社 goshi kaisha, 合名会社 gomei kaisha),
#: longest first; also the forms Japanese writes for foreign companies' (公開株式会社
#: public joint-stock company, 非公開株式会社 non-public joint-stock company, 公共株式会社
#: public company, 有限責任会社 limited liability company) and English legal forms
#: written in katakana (リミテッド limited, エルエルシー LLC, ジェイエスシー JSC, インク Inc.).
KANA_LEGAL_FORMS: tuple[str, ...] = (
    "非公開株式会社", "公開株式会社", "公共株式会社", "有限責任会社", "株式会社", "有限会社",
    "合同会社", "合資会社", "合名会社", "カンパニーリミテッド", "リミテッド", "エルエルシー",
    "ジェイエスシー", "ピーエルシー", "コーポレーション", "カンパニー",
)  # fmt: skip

#: Japanese business words, in the English that list entries and the companies' own
#: English names use for them (トヨタ自動車 is TOYOTA MOTOR, 三菱重工業 MITSUBISHI HEAVY
#: INDUSTRIES). Matched on the Japanese text, longest first.
KANA_GLOSSARY: dict[str, str] = {
    "重工業": "heavy industries", "工業": "industries", "電機": "electric",
    "電気": "electric", "自動車": "motor", "製作所": "works", "商事": "trading",
    "銀行": "bank", "航空宇宙": "aerospace", "航空": "aviation", "造船": "shipbuilding",
    "研究所": "research institute", "電子": "electronics", "化学": "chemical",
    "材料": "materials", "マテリアル": "materials", "重機": "heavy machinery",
    "エレクトロニクス": "electronics", "エレクトロン": "electron",
    "ホールディングス": "holdings", "グループ": "group", "大学": "university",
    # English business words as Japanese writes them in katakana, and the kanji of
    # foreign organisations' names (造船所 shipyard; 名称 "named after", left out)
    "ホールディング": "holding", "テクノロジーズ": "technologies", "テクノロジー": "technology",
    "インダストリーズ": "industries", "インダストリー": "industry", "トレーディング": "trading",
    "インターナショナル": "international", "システムズ": "systems", "システム": "system",
    "ソリューションズ": "solutions", "ソリューション": "solution", "センター": "center",
    "サービス": "service", "エンジニアリング": "engineering", "インベストメンツ": "investments",
    "インベストメント": "investment", "エンタープライズ": "enterprise", "サプライ": "supply",
    "エクイプメント": "equipment", "マシーナリー": "machinery", "エレクトロニック": "electronic",
    "造船所": "shipyard", "名称": "",
    "ソフトウェア": "software", "ハードウェア": "hardware", "プロモーション": "promotion",
    "パシフィック": "pacific", "アジア": "asia", "マイクロ": "micro", "パーツ": "parts",
    "ファイバー": "fiber", "コンツェルン": "concern", "アンド": "and",
    "ロシア連邦": "russian federation", "ロシア": "russia", "ベラルーシ": "belarus",
    # the kanji of state bodies' and institutes' names as Japanese translates them
    "研究開発": "research development", "研究": "research", "開発": "development",
    "工場": "plant", "船舶": "ship", "修理": "repair", "設計局": "design bureau",
    "設計": "design", "科学": "scientific", "学術": "scientific", "中央": "central",
    "国家": "state", "国立": "state", "共和国": "republic", "委員会": "committee",
    "保安": "security", "連邦": "federal", "無線": "radio", "技術": "technology",
    "機器": "instrument", "製造": "manufacturing", "生産": "production", "企業": "enterprise",
    "試験": "testing", "機械": "machinery", "産業": "industry", "防衛": "defense",
    "光学": "optical",
}  # fmt: skip

#: Business words in simplified Chinese, as Chinese lists write Japanese companies'
#: names (三菱重工航空发动机株式会社: MITSUBISHI HEAVY INDUSTRIES AERO ENGINES), in the
#: English those companies' own names use. Used only for a Japanese name with
#: characters Japanese does not write (``native``); matched on the characters (not
#: on pinyin, whose syllables Chinese given names share), longest first.
SIMPLIFIED_GLOSSARY: dict[str, str] = {
    "重工业": "heavy industries", "重机械工业": "heavy industries", "重工": "heavy industries",
    "工业": "industries", "发动机": "engines", "系统": "systems", "技术": "technology",
    "服务": "services", "工程": "engineering", "制造": "manufacturing", "电机": "electric",
    "电气": "electric", "电子": "electronics", "汽车": "motors", "航空宇宙": "aerospace",
    "航空航天": "aerospace", "宇航": "aerospace", "材料": "materials", "通信": "communications",
    "研究所": "research institute", "防卫": "defense", "海洋": "marine", "海事": "maritime",
}  # fmt: skip

#: Thai legal forms, removed before the Thai reading: บริษัท (borisat, company), จำกัด
#: (chamkat, limited), มหาชน (mahachon, public), ห้างหุ้นส่วน (partnership).
THAI_LEGAL_FORMS: tuple[str, ...] = (
    "(มหาชน)", "ห้างหุ้นส่วนจำกัด", "ห้างหุ้นส่วนสามัญ", "ห้างหุ้นส่วน", "บริษัท", "จำกัด", "มหาชน",
)  # fmt: skip

#: Thai business words glossed as the English that Thai companies' own names use.
THAI_GLOSSARY: dict[str, str] = {"ธนาคาร": "bank", "มหาวิทยาลัย": "university"}
