"""申报条件 templates of national.md, as condition sets per level (NAT-11).

Template A: standards written to the 2018 rule (电工 6-31-01-03). Template B: standards of 2022 onward.
Each set: (label as in the standard, [predicates]). The centre edits them per standard in the admin or
the API; these are the starting data for the seeded occupations.
"""

VOCATIONAL = [
    "tech_school",
    "secondary_vocational",
    "senior_tech_school",
    "technician_college",
    "preparatory_technician",
    "higher_vocational",
    "junior_college",
    "bachelor",
    "master",
]
SENIOR_TECH = ["senior_tech_school", "technician_college"]
HIGHER = ["higher_vocational", "junior_college", "bachelor", "master"]
COLLEGE = ["junior_college", "bachelor", "master"]


def work(years):
    return {"kind": "work_years", "years": years}


def cert(level, years=0):
    return {"kind": "certificate", "level": level, "years_since": years}


def diploma(types, *, graduating_ok=False, evaluated_only=False):
    return {"kind": "diploma", "types": types, "graduating_ok": graduating_ok, "evaluated_only": evaluated_only}


def title(grade, years=0):
    return {"kind": "title", "grade": grade, "years_since": years}


TEMPLATE_A = {
    5: [
        ("累计从事本职业或相关职业工作1年（含）以上。", [work(1)]),
        ("本职业或相关职业学徒期满。", [{"kind": "apprenticeship"}]),
    ],
    4: [
        (
            "取得本职业或相关职业五级/初级工职业资格证书（技能等级证书）后，累计从事本职业或相关职业工作4年（含）以上。",
            [cert(5, 4), work(4)],
        ),
        ("累计从事本职业或相关职业工作6年（含）以上。", [work(6)]),
        (
            "取得技工学校本专业或相关专业毕业证书（含尚未取得毕业证书的在校应届毕业生）。",
            [diploma(["tech_school"], graduating_ok=True)],
        ),
        (
            "取得经评估论证、以中级技能为培养目标的中等及以上职业学校本专业或相关专业毕业证书（含尚未取得毕业证书的在校应届毕业生）。",
            [diploma(["secondary_vocational", "higher_vocational"], graduating_ok=True, evaluated_only=True)],
        ),
    ],
    3: [
        (
            "取得本职业或相关职业四级/中级工职业资格证书（技能等级证书）后，累计从事本职业或相关职业工作5年（含）以上。",
            [cert(4, 5), work(5)],
        ),
        (
            "取得四级/中级工职业资格证书（技能等级证书），并具有高级技工学校、技师学院毕业证书（含尚未取得毕业证书的在校应届毕业生）；"
            "或取得四级/中级工职业资格证书（技能等级证书），并具有经评估论证、以高级技能为培养目标的高等职业学校本专业或相关专业毕业证书。",
            [cert(4), diploma([*SENIOR_TECH, "higher_vocational"], graduating_ok=True)],
        ),
        (
            "具有大专及以上本专业或相关专业毕业证书，并取得本职业或相关职业四级/中级工职业资格证书（技能等级证书）后，"
            "累计从事本职业或相关职业工作2年（含）以上。",
            [diploma(COLLEGE), cert(4, 2), work(2)],
        ),
    ],
    2: [
        (
            "取得本职业或相关职业三级/高级工职业资格证书（技能等级证书）后，累计从事本职业或相关职业工作4年（含）以上。",
            [cert(3, 4), work(4)],
        ),
        (
            "取得本职业或相关职业三级/高级工职业资格证书（技能等级证书）的高级技工学校、技师学院毕业生，累计从事本职业或相关职业工作3年（含）以上。",
            [cert(3), diploma(SENIOR_TECH), work(3)],
        ),
        (
            "取得本职业或相关职业三级/高级工职业资格证书（技能等级证书）的预备技师证书的技师学院毕业生，累计从事本职业或相关职业工作2年（含）以上。",
            [cert(3), diploma(["preparatory_technician"]), work(2)],
        ),
    ],
    1: [
        (
            "取得本职业或相关职业二级/技师职业资格证书（技能等级证书）后，累计从事本职业或相关职业工作4年（含）以上。",
            [cert(2, 4), work(4)],
        ),
    ],
}

TEMPLATE_B = {
    5: [("年满16周岁。", [{"kind": "age_min", "years": 16}])],
    4: [
        ("累计从事本职业或相关职业工作满5年。", [work(5)]),
        (
            "取得本职业或相关职业五级/初级工职业资格证书（职业技能等级证书）后，累计从事本职业或相关职业工作满3年。",
            [cert(5, 3), work(3)],
        ),
        (
            "取得本专业或相关专业的技工院校或中等及以上职业院校、专科及以上普通高等学校毕业证书（含在读应届毕业生）。",
            [diploma(VOCATIONAL, graduating_ok=True)],
        ),
    ],
    3: [
        ("累计从事本职业或相关职业工作满10年。", [work(10)]),
        (
            "取得本职业或相关职业四级/中级工职业资格证书（职业技能等级证书）后，累计从事本职业或相关职业工作满4年。",
            [cert(4, 4), work(4)],
        ),
        (
            "取得符合专业对应关系的初级职称（专业技术人员职业资格）后，累计从事本职业或相关职业工作满1年。",
            [title("junior", 1), work(1)],
        ),
        (
            "取得本专业或相关专业的技工院校高级工班及以上毕业证书（含在读应届毕业生）。",
            [diploma(["senior_tech_school", "technician_college", "preparatory_technician"], graduating_ok=True)],
        ),
        (
            "取得本职业或相关职业四级/中级工职业资格证书（职业技能等级证书），并取得高等职业学校、专科及以上普通高等学校本专业或相关专业毕业证书（含在读应届毕业生）。",
            [cert(4), diploma(HIGHER, graduating_ok=True)],
        ),
        (
            "取得经评估论证的高等职业学校、专科及以上普通高等学校本专业或相关专业毕业证书（含在读应届毕业生）。",
            [diploma(HIGHER, graduating_ok=True, evaluated_only=True)],
        ),
    ],
    2: [
        (
            "取得本职业或相关职业三级/高级工职业资格证书（职业技能等级证书）后，累计从事本职业或相关职业工作满5年。",
            [cert(3, 5), work(5)],
        ),
        (
            "取得符合专业对应关系的初级职称（专业技术人员职业资格）后，累计从事本职业或相关职业工作满5年，"
            "并在取得本职业或相关职业三级/高级工职业资格证书（职业技能等级证书）后，从事本职业或相关职业工作满1年。",
            [title("junior"), work(5), cert(3, 1)],
        ),
        (
            "取得符合专业对应关系的中级职称（专业技术人员职业资格）后，累计从事本职业或相关职业工作满1年。",
            [title("intermediate", 1), work(1)],
        ),
        (
            "取得本职业或相关职业三级/高级工职业资格证书（职业技能等级证书）的高级技工学校、技师学院毕业生，累计从事本职业或相关职业工作满2年。",
            [cert(3), diploma(SENIOR_TECH), work(2)],
        ),
        (
            "取得本职业或相关职业三级/高级工职业资格证书（职业技能等级证书）满2年的技师学院预备技师班、技师班学生。",
            [cert(3, 2), diploma(["preparatory_technician"], graduating_ok=True)],
        ),
    ],
    1: [
        (
            "取得本职业或相关职业二级/技师职业资格证书（职业技能等级证书）后，累计从事本职业或相关职业工作满5年。",
            [cert(2, 5), work(5)],
        ),
        (
            "取得符合专业对应关系的中级职称后，累计从事本职业或相关职业工作满5年，"
            "并在取得本职业或相关职业二级/技师职业资格证书（职业技能等级证书）后，从事本职业或相关职业工作满1年。",
            [title("intermediate"), work(5), cert(2, 1)],
        ),
        (
            "取得符合专业对应关系的高级职称（专业技术人员职业资格）后，累计从事本职业或相关职业工作满1年。",
            [title("senior", 1), work(1)],
        ),
    ],
}

# Which template each seeded occupation's current standard follows.
ASSIGNMENTS = {"6-31-01-03": TEMPLATE_A, "4-10-04-02": TEMPLATE_B, "4-07-03-02": TEMPLATE_B}


def load(apps) -> None:
    Standard = apps.get_model("catalog", "Standard")
    ConditionSet = apps.get_model("catalog", "ConditionSet")
    for code, template in ASSIGNMENTS.items():
        for standard in Standard.objects.filter(occupation__code=code, kind="national"):
            for sl in standard.levels.all():
                for ordinal, (label, predicates) in enumerate(template.get(sl.level, []), start=1):
                    ConditionSet.objects.update_or_create(
                        standard_level=sl, ordinal=ordinal, defaults={"label": label, "predicates": predicates}
                    )
