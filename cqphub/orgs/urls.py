from django.contrib.auth import views as auth_views
from django.urls import path

from cqphub.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # accounts
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("connexion/code/", views.otp_verify, name="otp_verify"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("compte/", views.account, name="account"),
    path("compte/double-authentification/", views.otp_setup, name="otp_setup"),
    path("compte/double-authentification/desactiver/", views.otp_disable, name="otp_disable"),
    path("compte/mot-de-passe/", views.password_change, name="password_change"),
    path("compte/mot-de-passe/modifie/", views.password_change_done, name="password_change_done"),
    path("mot-de-passe-oublie/", views.password_reset, name="password_reset"),
    path("mot-de-passe-oublie/envoye/", views.password_reset_done, name="password_reset_done"),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"
    ),
    path("mot-de-passe-oublie/termine/", views.password_reset_complete, name="password_reset_complete"),
    # branches
    path("branches/<slug:slug>/", views.branch_detail, name="branch"),
    path("branches/<slug:slug>/modifier/", views.branch_edit, name="branch_edit"),
    path("branches/<slug:slug>/membres/", views.branch_members, name="branch_members"),
    path("branches/<slug:slug>/membres/inviter/", views.branch_member_invite, name="branch_member_invite"),
    path(
        "branches/<slug:slug>/membres/<int:pk>/retirer/",
        views.branch_membership_deactivate,
        name="branch_membership_deactivate",
    ),
    path("branches/<slug:slug>/centres/", views.branch_centres, name="branch_centres"),
    path("branches/<slug:slug>/journal/", views.branch_audit, name="branch_audit"),
    # centres
    path("centres/<int:pk>/", views.centre_detail, name="centre"),
    path("centres/<int:pk>/modifier/", views.centre_edit, name="centre_edit"),
    path("centres/<int:pk>/membres/inviter/", views.centre_member_invite, name="centre_member_invite"),
    path(
        "centres/<int:pk>/membres/<int:membership_pk>/retirer/",
        views.centre_membership_deactivate,
        name="centre_membership_deactivate",
    ),
]
