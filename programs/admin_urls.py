"""Admin URLs of the beneficiary-list import, registered by the register_admin_urls hook."""

from django.urls import path

from programs import admin_views

app_name = "programs_beneficiaries"

urlpatterns = [
    path("beneficiaries/", admin_views.BeneficiaryProgramsView.as_view(), name="index"),
    path(
        "programs/<int:page_id>/beneficiaries/",
        admin_views.BeneficiaryUploadView.as_view(),
        name="upload",
    ),
    path(
        "programs/<int:page_id>/beneficiaries/<int:import_id>/",
        admin_views.BeneficiaryImportPreviewView.as_view(),
        name="preview",
    ),
    path(
        "programs/<int:page_id>/beneficiaries/<int:import_id>/confirm/",
        admin_views.BeneficiaryImportConfirmView.as_view(),
        name="confirm",
    ),
    path(
        "programs/<int:page_id>/beneficiaries/<int:import_id>/discard/",
        admin_views.BeneficiaryImportDiscardView.as_view(),
        name="discard",
    ),
    path(
        "programs/<int:page_id>/beneficiaries/invitations/",
        admin_views.InvitationSendView.as_view(),
        name="invite",
    ),
]
