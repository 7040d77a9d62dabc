"""Seed catalogue: occupations, 工种 and standards used by the demo and tests.

电工 follows the 2018 national standard (template A of national.md); durations and ratios are the
standard's. Values marked 待核对 in docs/decisions.md should be checked against the printed standard
before production use; the centre can edit them in the admin.
"""

THEORY_METHODS = ["written", "cbt"]
SKILL_METHODS = ["practical", "simulated_operation", "simulation_system"]
REVIEW_METHODS = ["dossier_review", "defence"]

OCCUPATIONS = [
    {
        "code": "6-31-01-03",
        "name": "电工",
        "work_types": [],
        "standard": {
            "name": "电工国家职业技能标准",
            "edition": "2018年版",
            "theory_candidates_per_invigilator": 15,
            "theory_min_invigilators": 2,
            "skill_candidates_per_examiner": 5,
            "skill_min_examiners": 3,
            "review_min_experts": 3,
        },
        "levels": {
            5: {"theory": 90, "skill": 120},
            4: {"theory": 90, "skill": 150},
            3: {"theory": 90, "skill": 180},
            2: {"theory": 90, "skill": 240, "review": 30},
            1: {"theory": 90, "skill": 240, "review": 30},
        },
    },
    {
        "code": "4-10-04-02",
        "name": "保健按摩师",
        "work_types": ["保健按摩师", "足部按摩师"],
        "standard": {
            "name": "保健按摩师国家职业技能标准",
            "edition": "现行版（待核对）",
            "theory_candidates_per_invigilator": 15,
            "theory_min_invigilators": 2,
            "skill_candidates_per_examiner": 5,
            "skill_min_examiners": 3,
            "review_min_experts": 3,
        },
        "levels": {
            5: {"theory": 90, "skill": 60},
            4: {"theory": 90, "skill": 60},
            3: {"theory": 90, "skill": 90},
            2: {"theory": 90, "skill": 90, "review": 30},
            1: {"theory": 90, "skill": 90, "review": 30},
        },
    },
    {
        "code": "4-07-03-02",
        "name": "企业人力资源管理师",
        "work_types": [],
        "standard": {
            "name": "企业人力资源管理师国家职业技能标准",
            "edition": "现行版（待核对）",
            "theory_candidates_per_invigilator": 15,
            "theory_min_invigilators": 2,
            "skill_candidates_per_examiner": 15,
            "skill_min_examiners": 2,
            "review_min_experts": 3,
        },
        # This occupation has 四级–一级 only (NAT-12); its skill subject is a written 专业能力 test.
        "levels": {
            4: {"theory": 90, "skill": 120},
            3: {"theory": 90, "skill": 120},
            2: {"theory": 90, "skill": 120, "review": 30},
            1: {"theory": 90, "skill": 120, "review": 30},
        },
        "skill_methods": ["written", "cbt"],
    },
]


def load(apps) -> None:
    Occupation = apps.get_model("catalog", "Occupation")
    WorkType = apps.get_model("catalog", "WorkType")
    Standard = apps.get_model("catalog", "Standard")
    StandardLevel = apps.get_model("catalog", "StandardLevel")
    StandardSubject = apps.get_model("catalog", "StandardSubject")
    for item in OCCUPATIONS:
        occ, _ = Occupation.objects.update_or_create(code=item["code"], defaults={"name": item["name"]})
        for wt in item["work_types"]:
            WorkType.objects.get_or_create(occupation=occ, name=wt)
        std, _ = Standard.objects.update_or_create(
            occupation=occ,
            kind="national",
            edition=item["standard"]["edition"],
            defaults={k: v for k, v in item["standard"].items() if k != "edition"},
        )
        methods = {
            "theory": THEORY_METHODS,
            "skill": item.get("skill_methods", SKILL_METHODS),
            "review": REVIEW_METHODS,
        }
        for level, subjects in item["levels"].items():
            sl, _ = StandardLevel.objects.get_or_create(standard=std, level=level)
            for subject, minutes in subjects.items():
                StandardSubject.objects.update_or_create(
                    standard_level=sl,
                    subject=subject,
                    defaults={"methods": methods[subject], "duration_minutes": minutes},
                )
