"""The demo loader: each app contributes its part, in dependency order, through its own actions."""

from django.db import transaction


def load_all() -> list[tuple[str, str, str]]:
    from zhifa.cases import demo as cases_demo
    from zhifa.catalog import demo as catalog_demo
    from zhifa.inspections import demo as inspections_demo
    from zhifa.org import demo as org_demo
    from zhifa.publicity import demo as publicity_demo
    from zhifa.review import demo as review_demo
    from zhifa.supervision import demo as supervision_demo

    with transaction.atomic():
        accounts = org_demo.load()
    with transaction.atomic():
        catalog_demo.load()
    with transaction.atomic():
        review_demo.load()
    with transaction.atomic():
        cases_demo.load()
    with transaction.atomic():
        publicity_demo.load()
    with transaction.atomic():
        inspections_demo.load()
    with transaction.atomic():
        supervision_demo.load()
        supervision_demo.load_inspections()
    from zhifa.supervision import figures

    figures.rebuild_recent()  # what the daily task would count first: the 执法统计 page has its figures
    with transaction.atomic():
        supervision_demo.load_analysis_report()
        supervision_demo.load_ranking()
    from zhifa.ledger import actions as ledger_actions
    from zhifa.workdays import actions as workdays_actions

    workdays_actions.send_reminders()  # what the hourly task would send first: the 工作台 shows the reminders
    ledger_actions.make_checkpoints(force=True)  # the demo starts with signed tree heads to verify against
    return accounts


def is_empty() -> bool:
    from zhifa.org.models import Agency

    return not Agency.objects.exists()
