"""Incoming requests: admissibility, execution tasks for national authorities, challenges, return of evidence."""

from django.urls import path

from entraide.execution import views

app_name = "execution"
urlpatterns = [
    path("register/", views.register_incoming, name="register"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task-progress"),
    path("tasks/<int:pk>/question/", views.task_question, name="task-question"),
    path("tasks/<int:pk>/questions/<int:entry_id>/answer/", views.task_answer, name="task-answer"),
    path("tasks/<int:pk>/results/new/", views.task_result_add, name="task-result-add"),
    path("tasks/<int:pk>/results/<int:result_id>/download/", views.task_result_download, name="task-result-download"),
    path("tasks/<int:pk>/reassign/", views.task_reassign, name="task-reassign"),
    path("tasks/<int:pk>/cancel/", views.task_cancel, name="task-cancel"),
    path("tasks/<int:pk>/settle/", views.task_settle, name="task-settle"),
    path("tasks/<int:pk>/challenges/new/", views.challenge_add, name="challenge-add"),
    path("tasks/<int:pk>/challenges/<int:challenge_id>/", views.challenge_outcome, name="challenge-outcome"),
    path("cases/<int:pk>/tasks/new/", views.task_create, name="task-create"),
    path("cases/<int:pk>/admissibility/", views.admissibility, name="admissibility"),
    path("cases/<int:pk>/admissibility/consultations/new/", views.consultation_add, name="consultation-add"),
    path("cases/<int:pk>/admissibility/decide/", views.decide, name="decide"),
    path("cases/<int:pk>/admissibility/answer/", views.supplementary_answer, name="supplementary-answer"),
    path("cases/<int:pk>/admissibility/resume/", views.resume, name="resume"),
    path("cases/<int:pk>/letters/new/", views.letter, name="letter"),
    path("cases/<int:pk>/status-schedule/", views.status_schedule, name="status-schedule"),
    path("cases/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("cases/<int:pk>/evidence/new/", views.evidence_add, name="evidence-add"),
    path("cases/<int:pk>/evidence/<int:item_id>/custody/", views.evidence_custody, name="evidence-custody"),
    path("cases/<int:pk>/evidence/return/", views.evidence_return, name="evidence-return"),
    path("cases/<int:pk>/confidentiality/", views.confidentiality, name="confidentiality"),
    path("cases/<int:pk>/confidentiality/new/", views.disclosure_add, name="disclosure-add"),
    path("cases/<int:pk>/confidentiality/<int:duty_id>/<str:step>/", views.disclosure_step, name="disclosure-step"),
]
