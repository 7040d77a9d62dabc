"""Reference data every installation has: the centre and Beijing's 16 districts (GB/T 2260)."""

CENTRE_NAME = "北京市职业技能鉴定管理中心"

BEIJING_DISTRICTS = [
    ("110101", "东城区"),
    ("110102", "西城区"),
    ("110105", "朝阳区"),
    ("110106", "丰台区"),
    ("110107", "石景山区"),
    ("110108", "海淀区"),
    ("110109", "门头沟区"),
    ("110111", "房山区"),
    ("110112", "通州区"),
    ("110113", "顺义区"),
    ("110114", "昌平区"),
    ("110115", "大兴区"),
    ("110116", "怀柔区"),
    ("110117", "平谷区"),
    ("110118", "密云区"),
    ("110119", "延庆区"),
]


def load(apps) -> None:
    Centre = apps.get_model("parties", "Centre")
    District = apps.get_model("parties", "District")
    Centre.objects.update_or_create(pk=1, defaults={"name": CENTRE_NAME, "province_code": "11"})
    for code, name in BEIJING_DISTRICTS:
        District.objects.update_or_create(code=code, defaults={"name": name})
