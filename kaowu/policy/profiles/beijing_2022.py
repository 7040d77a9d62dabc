"""The default rule profile 「北京市（2022）」: both seeds, the stricter one blocking.

Every number, day count, unit and citation of ../shared/spec lives here and nowhere else.
A data migration loads it into the database (policy.Rule), where the centre may edit it.
`message` may use the rule's params and the values a check passes ({left}, {deadline} …).
"""

BJ = "京职技鉴发〔2022〕1号"
EV = "评价机构考务流程及平台时间要求"

SLUG = "beijing-2022"
NAME = "北京市（2022）"
DESCRIPTION = f"{BJ}《北京市社会培训评价组织职业技能等级认定考务工作规程（试行）》与{EV}，两者不一致时从严。"

RULES = [
    # ORG — parties and scope
    dict(
        rule_id="ORG-1",
        kind="record",
        title="市中心、区鉴定管理机构、评价机构三类主体；机构由市中心赋码",
        citation=f"{BJ} 第三条至第五条",
    ),
    dict(
        rule_id="ORG-2",
        kind="block",
        title="备案范围：职业×等级与备案评价地点；超出须先增项备案",
        citation=f"{BJ} 附件1 填表说明三、四",
        message="「{item}」不在本机构备案范围内，请先向市鉴定管理中心申请增项备案。",
    ),
    dict(
        rule_id="ORG-3",
        kind="record",
        title="公示收费标准及考务、质量、证书、收费管理办法",
        citation=f"{BJ} 第十一条、第三十条",
    ),
    dict(
        rule_id="ORG-4",
        kind="block",
        title="数据隔离：机构只见本机构，区只见本区，市中心见全部",
        citation=f"{BJ} 第三条至第五条",
    ),
    # PLAN
    dict(
        rule_id="PLAN-1",
        kind="warn",
        title="下一年度总体认定计划于每年11月底前报市中心",
        params={"month": 11, "day": 30},
        citation=f"{BJ} 第六条",
        message="{year}年度总体认定计划应于{deadline}前报送市鉴定管理中心，本次报送已逾期。",
    ),
    dict(
        rule_id="PLAN-2",
        kind="warn",
        title="年度认定通知于每年1月底前报市中心并向社会发布",
        params={"month": 1, "day": 31},
        citation=f"{BJ} 第七条",
        message="{year}年度认定通知应于{deadline}前报送市鉴定管理中心，本次报送已逾期。",
    ),
    dict(
        rule_id="PLAN-3",
        kind="warn",
        title="按季度发布认定公告（职业、等级、条件、方式、报名与评价时间、考点、收费）",
        params={
            "required": [
                "occupations",
                "levels",
                "conditions",
                "methods",
                "registration_period",
                "exam_period",
                "sites",
                "fees",
            ]
        },
        citation=f"{EV} 一、（一）1",
        message="季度公告缺少：{missing}。请补全后再发布。",
    ),
    dict(
        rule_id="PLAN-4",
        kind="block",
        title="每批每个职业（工种）不少于20人",
        params={"min_candidates": 20},
        citation=f"{EV} 一、（一）1",
        message="每个职业（工种）每批不少于{min_candidates}人，「{occupation}」目前只有{count}人，请补足人数或合并批次。",
    ),
    dict(
        rule_id="PLAN-5",
        kind="block",
        title="首次认定日期前20天报送计划备案表，前15天在系统中确认计划",
        params={"filing_days_before": 20, "confirm_days_before": 15, "resubmit_after_return_days_before": 15},
        unit="calendar",
        citation=f"{BJ} 第八条；{EV} 二、1",
        message="{what}须在首次认定日期（{first_date}）前{days}天完成，即最晚{deadline}；今天距首次认定日期仅{left}天。请推迟首次认定日期后再办理。",
    ),
    dict(
        rule_id="PLAN-6",
        kind="block",
        title="计划名称由系统生成：「YYYYMMDD＋机构简称」；平台名称「评价日期＋机构名称＋批次号」",
        params={
            "beijing": "{date:%Y%m%d}{short_name}",
            "platform": "{date:%Y%m%d}{full_name}第{batch_no}批",
            "duplicate_suffix": "（{n}）",
        },
        citation=f"{BJ} 附件1 填表说明二；{EV} 二、1",
        message="计划名称由系统按首次认定日期和机构简称自动生成，不能手工填写；请删除「计划名称」一栏。",
    ),
    dict(
        rule_id="PLAN-7",
        kind="block",
        title="评价职业、等级在备案范围内；评价地点为已备案地点",
        citation=f"{BJ} 附件1 填表说明三、四",
        message="{item}不在本机构备案范围内。{fix}",
    ),
    dict(
        rule_id="PLAN-8",
        kind="block",
        title="各科目评价方式按标准规定；理论知识一律闭卷",
        citation=f"{BJ} 附件1 填表说明五；{EV} 一、（四）4",
        message="「{subject}」的评价方式「{method}」不在该职业标准规定的方式（{allowed}）之内，请改选。",
    ),
    dict(
        rule_id="PLAN-9",
        kind="block",
        title="科目顺序理论→技能→综合评审；技能在理论结束后1个月内完成，评审在技能结束后1个月内完成",
        params={"max_months_after": 1},
        unit="month",
        citation=f"{BJ} 附件1 填表说明六",
        message="{detail}请调整场次日期。",
    ),
    dict(
        rule_id="PLAN-10",
        kind="record",
        title="认定计划备案表（附件1）全部栏目由系统打印（PDF、XLSX）；区意见填写后才能确认计划",
        # The filing form carries the district's opinion (附件1); a careful centre does not let a plan be confirmed
        # without it. False lets a profile confirm without it (docs/decisions.md).
        params={"district_opinion_before_confirm": True},
        citation=f"{BJ} 附件1",
        message="认定计划备案表须有考点所在区鉴定管理机构意见后才能确认计划；请联系{district}填写区意见。",
    ),
    dict(
        rule_id="PLAN-11",
        kind="block",
        title="填报考场信息后变更时间地点须不可抗力，至少提前3个工作日申请，经市中心备案后生效",
        params={"working_days_before": 3},
        unit="working",
        citation=f"{BJ} 第二十三条",
        message="变更申请须在认定时间（{affected_date}）前{days}个工作日提出，即最晚{deadline}；今天已超过期限。",
    ),
    dict(
        rule_id="PLAN-12",
        kind="block",
        title="环节逾期（PLAN-5、REG-6、ARR-1）的计划不能进入下一环节，市中心视为停止",
        params={"steps": ["PLAN-5", "REG-6", "ARR-1"]},
        citation=f"{BJ} 第十五条",
        message="该计划的「{step}」已于{deadline}逾期，计划已停止，不能继续办理。请联系市鉴定管理中心。",
    ),
    # REG
    dict(
        rule_id="REG-1",
        kind="block",
        title="自愿报名；公布渠道、时间、流程；证件号码校验",
        citation=f"{BJ} 第九条；{EV} 一、（二）1",
        message="{detail}",
    ),
    dict(
        rule_id="REG-2",
        kind="block",
        title="按标准申报条件审核，不符合的不予受理并说明理由",
        citation=f"{BJ} 第十条；{EV} 一、（二）2",
        message="{explanation}",
    ),
    dict(
        rule_id="REG-3",
        kind="block",
        title="资格确认材料：身份证件、承诺书、学信网验证码（≤180天）、证书核验等",
        params={
            "chsi_max_days": 180,
            "chsi_warn_days": 14,
            "upload_max_bytes": 5 * 1024 * 1024,
            "upload_types": ["pdf", "jpeg", "png"],
            "photo_max_bytes": 1024 * 1024,
            "photo_min_width": 295,
            "photo_min_height": 413,
        },
        citation=f"{BJ} 附件2；{EV} 一、（二）1",
    ),
    dict(
        rule_id="REG-4",
        kind="record",
        title="企业可对本企业职工采用调整后的标准或企业评价规范，不低于国家标准",
        citation=f"{EV} 一、（二）3",
    ),
    dict(
        rule_id="REG-5",
        kind="block",
        title="资格确认后方可收费，并开具发票；公示了收费标准的等级，缴费后才发准考证",
        # Where the organisation published a fee standard for the level (ORG-3), a ticket is issued only to a
        # candidate who paid. False issues tickets regardless (a profile whose fees are settled elsewhere).
        params={"tickets_need_payment": True},
        citation=f"{BJ} 第十一条",
        message="考生资格确认通过后才能收费（当前状态：{status}）。请先完成资格审核。",
    ),
    dict(
        rule_id="REG-6",
        kind="block",
        title="首次认定日期前12天确认考生信息；前10天结束报名录入并提交",
        params={"confirm_days_before": 12, "entry_close_days_before": 10},
        unit="calendar",
        citation=f"{BJ} 第十二条；{EV} 二、2",
        message="{what}须在首次认定日期（{first_date}）前{days}天完成，即最晚{deadline}；今天已超过期限。",
    ),
    dict(
        rule_id="REG-7",
        kind="block",
        title="区鉴定管理机构按不低于30%比例抽查考生资质，首次认定日期前完成",
        params={"min_percent": 30},
        citation=f"{BJ} 第十三条",
        message="区鉴定管理机构资质抽查尚未完成（{detail}），计划不能进入认定实施环节。",
    ),
    dict(rule_id="REG-8", kind="record", title="资格确认材料按考生归档", citation=f"{BJ} 第十四条"),
    # ARR
    dict(
        rule_id="ARR-1",
        kind="block",
        title="首次认定日期前7天导入考场、考评员、质量内控人员信息",
        params={"days_before": 7},
        unit="calendar",
        citation=f"{BJ} 第十五条",
        message="{what}须在首次认定日期（{first_date}）前{days}天完成，即最晚{deadline}；今天已超过期限，计划不能继续。",
    ),
    dict(
        rule_id="ARR-2",
        kind="block",
        title="首次认定日期前3天完成考场编排、准考证并上报考务安排",
        params={"days_before": 3, "ticket_format": "{yy}{batch:03d}{site:1d}{room:02d}{seat:02d}"},
        unit="calendar",
        citation=f"{EV} 二、3–4",
        message="{what}须在首次认定日期（{first_date}）前{days}天完成，即最晚{deadline}；今天已超过期限。",
    ),
    dict(
        rule_id="ARR-3",
        kind="block",
        title="理论考场30人标准教室，单人单桌间距80厘米，阶梯教室隔行",
        params={"standard_seats": 30, "desk_spacing_cm": 80},
        citation=f"{BJ} 附件3 三",
    ),
    dict(
        rule_id="ARR-4",
        kind="record",
        title="座位号从门边开始蛇形排列，贴在课桌右上角",
        citation=f"{BJ} 附件3 三（四）",
    ),
    dict(
        rule_id="ARR-5",
        kind="block",
        title="监考人员按15:1配备，每考场至少2名",
        params={"candidates_per_invigilator": 15, "min_per_room": 2},
        citation=f"{BJ} 附件3 一、2；{EV} 一、（四）1",
    ),
    dict(
        rule_id="ARR-6",
        kind="block",
        title="每场所主考、副主考各1名，考务人员3人，保密员1人，每10个考场1名流动监考员",
        params={"chief": 1, "deputy": 1, "exam_affairs": 3, "confidentiality": 1, "rooms_per_roving": 10},
        citation=f"{BJ} 附件3 一",
    ),
    dict(
        rule_id="ARR-7",
        kind="block",
        title="技能操作每名考生≥3名考评员且为单数；技师、高级技师评审≥3名专家且为单数",
        params={"min_examiners": 3, "min_experts": 3, "odd": True},
        citation=f"{EV} 一、（四）1",
    ),
    dict(
        rule_id="ARR-8",
        kind="block",
        title="每次评价至少委派1名内部质量督导员",
        params={"min_quality_supervisors": 1},
        citation=f"{EV} 一、（四）2；{BJ} 第二十七条",
    ),
    dict(
        rule_id="ARR-9",
        kind="block",
        title="回避：有利害关系的人员不得监考、考评、阅卷、评审；同一时间不得两处任职",
        citation=f"{BJ} 第十七条、第二十四条",
    ),
    dict(
        rule_id="ARR-10",
        kind="block",
        title="工作人员持证上岗、佩戴证卡，留存培训与工作记录",
        citation=f"{BJ} 第二十一条；{EV} 一、（四）3",
    ),
    dict(
        rule_id="ARR-11",
        kind="block",
        title="认定场所负责人由机构负责人或业务主管负责人担任",
        citation=f"{BJ} 第十七条",
    ),
    dict(
        rule_id="ARR-12",
        kind="record",
        title="场所标识、考场分布图、考场安排表、门贴、考生信息汇总表、板书",
        citation=f"{BJ} 附件3 二至三",
    ),
    dict(
        rule_id="ARR-13",
        kind="record",
        title="技能考场设备、工位；实操准备通知单；考前一天张贴示意图和路标",
        params={
            # 实操准备通知单最迟在认定日期前该天数发布（与准考证发放期限 ARR-2 一致，docs/decisions.md）
            "notice_days_before": 3,
            # 考场分布示意图和路标最迟在认定日期前该天数当天 24 时前张贴（「考前一天」）
            "posting_days_before": 1,
        },
        unit="calendar",
        citation=f"{EV} 一、（三）1–2",
        message="{what}",
    ),
    dict(
        rule_id="ARR-14",
        kind="record",
        title="考务办公室、保密室、应急考场、医务室、禁带物品存放处",
        citation=f"{EV} 一、（三）3；{BJ} 附件3 二、2",
    ),
    # DAY
    dict(
        rule_id="DAY-1",
        kind="block",
        title="凭准考证和有效身份证件入场，入场及开考后两次核验",
        params={
            # 开考后超过该分钟数不得入场 (docs/decisions.md: the seeds name no cut-off; S+15 is the common practice).
            "late_entry_minutes": 15,
            # 入场时核对证件号码的末几位
            "doc_last_digits": 4,
        },
        citation=f"{BJ} 第十九条；{EV} 一、（四）3",
        message="{what}",
    ),
    dict(
        rule_id="DAY-2",
        kind="record",
        title="考务时间节点（相对开考S与结束E）",
        params={
            "arrive": -30,
            "report": -60,
            "briefing": -55,
            "papers_issued": -50,
            "papers_to_rooms": -40,
            "id_check": -25,
            "rules_read": -10,
            "seal_opened": -5,
            "start": 0,
            "early_handin_from": 30,
            "no_handin_from_end": -15,
            "collection_end": 0,
            "papers_returned_end": 5,
        },
        unit="",
        citation=f"{BJ} 附件5",
    ),
    dict(
        rule_id="DAY-3",
        kind="record",
        title="试卷在考场内开考前5分钟验封启封；保密室双人保管；交接签字",
        params={
            # 备用试卷 per room on top of its candidates (BJ Annex 5).
            "spare_papers_per_room": 2,
        },
        citation=f"{BJ} 附件4 三、附件5",
        message="{what}",
    ),
    dict(rule_id="DAY-4", kind="record", title="考场情况记录单：缺考、舞弊、异常，监考签字", citation=f"{BJ} 附件5"),
    dict(rule_id="DAY-5", kind="record", title="全程视频监控并留存", citation=f"{BJ} 第二十二条；{EV} 一、（四）6"),
    dict(
        rule_id="DAY-6",
        kind="block",
        title="机考须有应急预案并事先告知考生，耽误时间予以补足",
        citation=f"{EV} 一、（四）5",
    ),
    # SCORE
    dict(
        rule_id="SCORE-1",
        kind="block",
        title="各科目百分制，60分及以上合格；所有要求科目合格方为合格",
        params={"pass_mark": 60, "max_score": 100, "min_score": 0, "decimal_places": 2},
        citation=f"{EV} 一、（五）1",
    ),
    dict(
        rule_id="SCORE-2",
        kind="record",
        title="阅卷评分守则、回避、成绩登统与留存",
        # A skill or review examiner whose score lies further than this from the panel's mean is flagged.
        params={"outlier_points": 10, "min_examiners": 1},
        citation=f"{BJ} 第二十四条；{EV} 一、（五）1",
    ),
    dict(rule_id="SCORE-3", kind="block", title="认定结果为合格、不合格、缺考、舞弊之一", citation=f"{BJ} 第二十五条"),
    dict(
        rule_id="SCORE-4",
        kind="block",
        title="考后30天内公示结果，公示不少于7天",
        params={"publish_within_days_after_exam": 30, "publicity_min_days": 7},
        unit="calendar",
        citation=f"{BJ} 第二十五条；{EV} 一、（五）2、二、5",
    ),
    dict(
        rule_id="SCORE-5",
        kind="warn",
        title="公示无异议后7天内上传认定结果",
        params={
            "upload_within_days": 7,
            # The municipal system's column set (header, field), in its order: edit here when the authority changes it.
            "columns": [
                ["序号", "seq"],
                ["准考证号", "ticket"],
                ["姓名", "name"],
                ["性别", "sex"],
                ["证件类型", "doc_type"],
                ["证件号码", "doc_number"],
                ["职业编码", "occupation_code"],
                ["职业（工种）名称", "occupation"],
                ["认定等级", "level"],
                ["理论知识成绩", "theory"],
                ["操作技能成绩", "skill"],
                ["综合评审成绩", "review"],
                ["认定结果", "outcome"],
                ["认定计划名称", "plan"],
                ["评价机构", "org"],
            ],
        },
        unit="calendar",
        citation=f"{BJ} 第二十五条",
    ),
    # CERT
    dict(rule_id="CERT-1", kind="block", title="证书编号按国家格式由系统生成，市中心备案", citation=f"{BJ} 第二十六条"),
    dict(
        rule_id="CERT-2",
        kind="block",
        title="证书在全国联网查询系统可查后发放，考后40天内制作",
        params={"make_within_days_after_exam": 40},
        unit="calendar",
        citation=f"{EV} 一、（五）2、二、6",
    ),
    dict(rule_id="CERT-3", kind="record", title="公众可查询核验证书", citation=f"{BJ} 第三条"),
    # ARCH / CORR / SUP
    dict(
        rule_id="ARCH-1",
        kind="block",
        title="纸质材料保存≥3年，电子材料≥5年，花名册永久保存",
        params={"paper_years": 3, "electronic_years": 5},
        citation=f"{BJ} 第二十九条",
    ),
    dict(
        rule_id="CORR-1", kind="block", title="考生信息更正须有流程、理由、前后对照及审批", citation=f"{BJ} 第二十八条"
    ),
    dict(
        rule_id="SUP-1",
        kind="record",
        title="内部质量监管与市区督导检查",
        params={
            # 机考雷同答卷提示 for the quality staff: a pair of one room is shown when its identical wrong answers
            # exceed the expected count by this many standard deviations and number at least this many.
            "flag_z": 4.0,
            "flag_min_identical": 5,
        },
        citation=f"{BJ} 第二十七条；{EV} 一、（四）2",
    ),
    dict(
        rule_id="SUP-2",
        kind="record",
        title="区鉴定管理机构受理咨询、投诉、信访、举报",
        # reply_days: the system's default period to answer a case (calendar days), editable by the centre.
        params={"reply_days": 15, "attachment_types": ["pdf", "jpeg", "png"], "attachment_max_bytes": 10485760},
        citation=f"{BJ} 第四条（三）",
        message="附件「{name}」不是PDF、JPG或PNG文件，请转换后重新上传。",
    ),
    dict(
        rule_id="SUP-3",
        kind="record",
        title="区鉴定管理机构对辖区机构指导、质量评估、统计分析",
        citation=f"{BJ} 第四条（一）",
    ),
    # NAT — national rules behind the seeds
    dict(
        rule_id="NAT-1",
        kind="block",
        title="证书编号22位：类型+部机构码+省码+机构序号+年份+等级+流水号",
        params={"pattern": r"^[SY]\d{21}$"},
        citation="人社鉴发〔2021〕1号；人社鉴发〔2019〕2号",
    ),
    dict(
        rule_id="NAT-2",
        kind="block",
        title="北京由市级系统生成证书编号；系统可本地生成或导入并校验",
        citation=f"{BJ} 第二十六条",
    ),
    dict(rule_id="NAT-3", kind="record", title="证书印制栏目", citation="人社鉴发〔2021〕1号"),
    dict(rule_id="NAT-4", kind="block", title="机构自行印制证书，全国可查后方可发放", citation="人社鉴发〔2021〕1号"),
    dict(
        rule_id="NAT-5",
        kind="record",
        title="旧版证书编号（16位、13位、22位）识别格式并在线核验",
        citation="职业资格证书编码规则",
    ),
    dict(
        rule_id="NAT-6",
        kind="block",
        title="居民身份证号码 GB 11643 校验码、出生日期；未知地区码仅提醒",
        citation="GB 11643-1999",
    ),
    dict(
        rule_id="NAT-7",
        kind="block",
        title="港澳台居民居住证、外国人永久居留身份证同一编码规则；证件类型单独存储",
        citation="GB 11643-1999；国家移民管理局公告〔2023〕",
    ),
    dict(
        rule_id="NAT-8",
        kind="block",
        title="学信网验证码有效期30–180天，记录核验人与时间",
        params={"min_days": 30, "max_days": 180, "pattern": r"^[A-Za-z0-9]{12,16}$"},
        citation=f"{BJ} 附件2 三",
    ),
    dict(
        rule_id="NAT-9",
        kind="block",
        title="工作日按国务院办公厅放假通知（含调休）；无数据年份拒绝计算",
        citation="国务院办公厅部分节假日安排通知",
        message="{year}年的法定节假日和调休安排尚未录入，无法计算工作日期限。请市鉴定管理中心在「工作日调整」中录入该年国务院办公厅通知后再试。",
    ),
    dict(
        rule_id="NAT-10",
        kind="record",
        title="第二十三条“前3个工作日”：截止日为认定日前第3个工作日（认定日不计）；其他“天”为自然日",
        params={"count_affected_day": False},
        unit="working",
        citation=f"{BJ} 第二十三条（本系统解释）",
    ),
    dict(
        rule_id="NAT-11",
        kind="block",
        title="申报条件“具备以下条件之一者”：任一条件组，组内全部满足",
        citation="国家职业技能标准 申报条件",
    ),
    dict(
        rule_id="NAT-12",
        kind="block",
        title="职业编码 ^[1-8]-\\d{2}-\\d{2}-\\d{2}$，各职业有自己的等级集合与工种",
        params={"pattern": r"^[1-8]-\d{2}-\d{2}-\d{2}$"},
        citation="中华人民共和国职业分类大典（2022年版）",
        message="职业编码「{code}」格式不正确，应为「大类-中类-小类-细类」，如 6-31-01-03。",
    ),
    dict(rule_id="NAT-13", kind="record", title="资格确认记录满足的条件组与每项证明材料", citation="本系统约定"),
    dict(
        rule_id="NAT-14",
        kind="block",
        title="鉴定要素细目表：权重与比重表一致，每个鉴定点题库≥4题",
        params={
            "min_items_per_point": 4,
            # A paper follows the blueprint within this many percentage points per 鉴定点 and per 鉴定范围.
            "tolerance_points": 1.0,
            # Versions of one assembly share at most this share of their items (BJ Art.18 paper management).
            "max_overlap_pct": 30,
            # Items used by the last N assemblies of the same blueprint are avoided where the bank allows.
            "avoid_recent_assemblies": 2,
        },
        citation="国家职业技能标准 比重表",
        message="{what}",
    ),
    dict(
        rule_id="NAT-15",
        kind="block",
        title="各科目考试时长按标准（理论≥90分钟，评审≥30分钟）",
        params={
            "theory_min_minutes": 90,
            "review_min_minutes": 30,
            # The old national norm for 初级/中级 theory papers: 200 items, 140–160 choice, 40–60 true/false.
            "paper_items": 200,
            "choice_min": 140,
            "choice_max": 160,
            "judge_min": 40,
            "judge_max": 60,
            "default_judge": 40,
            "default_single": 140,
            "default_multi": 20,
            "points_judge": 0.5,
            "points_single": 0.5,
            "points_multi": 0.5,
            # A skill paper: this many 操作技能 tasks per 鉴定点 of the blueprint, each worth the point's weight.
            "skill_tasks_per_point": 1,
        },
        citation="国家职业技能标准 鉴定时间",
        message="{what}",
    ),
    dict(
        rule_id="NAT-16",
        kind="block",
        title="标准规定的监考、考评人员配比与本市规定从严适用",
        citation="国家职业技能标准 监考人员、考评人员与考生配比",
    ),
    dict(rule_id="NAT-17", kind="record", title="质量督导记录（外督、内督）", citation="人社职司便函〔2020〕53号"),
    dict(
        rule_id="NAT-18",
        kind="record",
        title="补考次数与合格科目保留期限由机构设定",
        params={"max_retakes": 1, "passed_subject_valid_years": 1},
        citation="本系统约定（可配置）",
    ),
]
