from django.urls import path

from . import views

app_name = "inventory"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<int:pk>/", views.entry_detail, name="entry"),
]
