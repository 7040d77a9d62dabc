"""The record kinds kept under ARCH-1 and their retention class, as seeded (the centre may edit the rows).

(label, title, retention, date the period runs from, path to the organisation). Tables listed here get the
PostgreSQL retention trigger (migrations 0002, 0003); the rosters keep their own kept-forever triggers (certificates 0002, results 0003).
"""

KINDS = [
    ("certificates.roster", "职业技能等级认定花名册", "forever", "compiled_at", "plan__org"),
    ("certificates.rosterrow", "花名册行", "forever", "issued_on", "roster__plan__org"),
    ("certificates.certificate", "证书记录（电子）", "electronic", "issued_at", "org"),
    ("registration.application", "报名信息（电子）", "electronic", "created_at", "plan__org"),
    ("registration.evidence", "报名证明材料（电子）", "electronic", "uploaded_at", "application__plan__org"),
    ("registration.commitment", "承诺书（电子签署）", "electronic", "signed_at", "application__plan__org"),
    ("results.result", "认定结果（电子）", "electronic", "computed_at", "plan__org"),
    ("exams.roomrecord", "考场情况记录单（纸质签字）", "paper", "created_at", "exam_day__session__plan__org"),
    ("oversight.supervisionrecord", "督导记录（纸质签字）", "paper", "assigned_at", "session__plan__org"),
    ("oversight.correction", "考生信息更正记录（电子）", "electronic", "requested_at", "org"),
    ("oversight.complaint", "咨询投诉信访举报登记（电子）", "electronic", "received_at", "org"),
    # Added with results (issue 14), migration 0003.
    ("results.scoreroster", "原始成绩花名册", "forever", "compiled_at", "plan__org"),
    ("results.misconduct", "舞弊认定记录（电子）", "electronic", "recorded_at", "plan__org"),
    ("results.complaint", "成绩投诉登记（电子）", "electronic", "received_at", "plan__org"),
]
# The kinds each migration seeds (a later migration adds rows; the earlier one keeps its own list).
FIRST = KINDS[:11]
WITH_RESULTS = KINDS[11:]

# Tables with their own triggers already (kept forever, certificates migration 0002).
OWN_TRIGGER = {"certificates.roster", "certificates.rosterrow", "results.scoreroster"}
