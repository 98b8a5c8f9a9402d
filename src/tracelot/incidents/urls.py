"""URL routes of incidents: the list, opening one, its page, and the work under it."""

from django.urls import path

from tracelot.incidents.views import drills, opening, pages, recall, work

app_name = "incidents"

urlpatterns = [
    path("", pages.incident_list, name="incident-list"),
    path("new/", opening.incident_new_from, name="incident-new-from"),
    path("new/<str:code>/", pages.incident_new, name="incident-new"),
    # Before the incident numbers, which would otherwise take "drills" for one.
    path("drills/", drills.drill_list, name="drill-list"),
    path("drills/run/", drills.drill_run_view, name="drill-run"),
    path("drills/schedule/", drills.drill_schedule_view, name="drill-schedule"),
    path("drills/<int:pk>/", drills.drill_detail, name="drill-detail"),
    path("<str:number>/", pages.incident_detail, name="incident-detail"),
    path("<str:number>/contain/", pages.incident_contain_view, name="incident-contain"),
    path("<str:number>/scope/", pages.incident_scope_view, name="incident-scope"),
    path("<str:number>/photos/<int:index>/", opening.incident_photo, name="incident-photo"),
    path("<str:number>/decide/", work.incident_decide, name="incident-decide"),
    path(
        "<str:number>/decisions/<int:pk>/approve/",
        work.incident_decision_approve,
        name="incident-decision-approve",
    ),
    path("<str:number>/actions/", work.incident_action_add, name="incident-action-add"),
    path(
        "<str:number>/actions/<int:pk>/",
        work.incident_action_progress,
        name="incident-action-progress",
    ),
    path("<str:number>/close/", work.incident_close_view, name="incident-close"),
    path("<str:number>/recall/", recall.recall_start_view, name="recall-start"),
    path("<str:number>/recall/notify/", recall.recall_notify_view, name="recall-notify"),
    path("<str:number>/recall/close/", recall.recall_close_view, name="recall-close"),
    path(
        "<str:number>/recall/<str:code>/acknowledge/",
        recall.recall_acknowledge_view,
        name="recall-acknowledge",
    ),
    path("<str:number>/recall/<str:code>/return/", recall.recall_return_view, name="recall-return"),
    path(
        "<str:number>/recall/<str:code>/letter.pdf", recall.recall_letter_view, name="recall-letter"
    ),
]
