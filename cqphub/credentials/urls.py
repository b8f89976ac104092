from django.urls import path

from cqphub.credentials import views

app_name = "credentials"
urlpatterns = [
    path("verifier/", views.verify, name="verify"),
    path("verifier/<str:number>/", views.verify_number, name="verify_number"),
    path("mes-attestations/", views.holder, name="holder"),
    path("documents/<str:number>.<str:fmt>", views.download, name="download"),
    path(
        "decisions/<int:award_id>/attestation-de-blocs/",
        views.request_attestation,
        name="request_attestation",
    ),
    path("gestion/", views.staff, name="staff"),
    path("ma-signature/", views.signature, name="signature"),
    path("ma-signature/image.png", views.signature_image, name="signature_image"),
    path("gestion/<str:number>/revoquer/", views.staff_revoke, name="revoke"),
    path("statuts/<slug:slug>/<int:number>", views.status_list, name="status_list"),
    path("issuers/<slug:slug>/did.json", views.did_document, name="did_document"),
]
