"""The demo's alert rules: what a quality manager would set up first. Made once; the
admin changes them after."""

from django.contrib.auth.models import Group

from tracelot.alerts.models import AlertRule, Condition

# (code, name, Chinese name, condition, role told, the condition's numbers)
RULES = [
    ("DEMO-QC-FAIL", "A failed inspection", "检验不合格", Condition.INSPECTION_FAILED,
     "quality", {}),
    ("DEMO-CHART", "A control-chart rule broken", "控制图判异", Condition.CONTROL_CHART,
     "quality", {}),
    ("DEMO-INCIDENT", "A new incident", "新建质量事故", Condition.INCIDENT_OPENED, "quality", {}),
    ("DEMO-INTEGRITY", "New integrity findings", "完整性检查新发现", Condition.INTEGRITY,
     "quality", {}),
    ("DEMO-BALANCE", "A step 5 % off its bill of materials", "工序用料偏离物料清单 5%",
     Condition.MASS_BALANCE, "quality", {"percent": 5}),
    ("DEMO-HOLD", "On hold for 3 days", "暂扣超过 3 天", Condition.HOLD_AGE, "quality",
     {"days": 3}),
    ("DEMO-EXPIRED", "Expired lots still on hand", "过期批次仍有库存", Condition.EXPIRED_ON_HAND,
     "quality", {}),
    ("DEMO-EXPIRING", "Lots expiring within 7 days", "7 天内到期的批次", Condition.EXPIRING,
     "warehouse", {"days": 7}),
    ("DEMO-SCANS", "3 refused scans in 10 minutes", "10 分钟内 3 次扫码被拒",
     Condition.SCAN_REFUSED, "planner", {"count": 3, "minutes": 10}),
]  # fmt: skip


def demo_alert_rules_ensure() -> list[AlertRule]:
    """Each demo rule tells one role (and the person responsible for the step)."""
    made = []
    for code, name, name_zh, condition, role, numbers in RULES:
        rule, created = AlertRule.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_zh": name_zh, "condition": condition, **numbers},
        )
        group = Group.objects.filter(name=role).first()
        if created and group is not None:
            rule.roles.add(group)
        made.append(rule)
    return made
