from django.urls import path

from . import cv_views, views

app_name = "accounts"
urlpatterns = [
    path("me/profile/", views.profile, name="profile"),
    path("me/profile/step/", views.profile_step, name="profile_step"),
    path("me/team/", views.team, name="team"),
    path("me/team/create/", views.team_create, name="team_create"),
    path("me/team/join/", views.team_join, name="team_join"),
    path("me/team/leave/", views.team_leave, name="team_leave"),
    path("me/cv/", cv_views.my_cv, name="cv"),
    path("me/cv/delete/", cv_views.delete_my_cv, name="cv_delete"),
    path("cvs/", cv_views.cv_list, name="cv_list"),
    path("cvs/all.zip", cv_views.cv_zip, name="cv_zip"),
    path("cvs/<int:user_id>/", cv_views.download, name="cv_download"),
]
