"""The demo's alert rules: what a quality manager would set up first. Made once; the
admin changes them after."""

from django.contrib.auth.models import Group

from tracelot.alerts.models import AlertRule, Condition

RULES = [
    ("DEMO-QC-FAIL", "A failed inspection", "检验不合格", Condition.INSPECTION_FAILED),
    ("DEMO-INCIDENT", "A new incident", "新建质量事故", Condition.INCIDENT_OPENED),
]


def demo_alert_rules_ensure() -> list[AlertRule]:
    """Each demo rule tells the quality role (and the person responsible for the step)."""
    quality = Group.objects.filter(name="quality").first()
    made = []
    for code, name, name_zh, condition in RULES:
        rule, created = AlertRule.objects.get_or_create(
            code=code, defaults={"name": name, "name_zh": name_zh, "condition": condition}
        )
        if created and quality is not None:
            rule.roles.add(quality)
        made.append(rule)
    return made
