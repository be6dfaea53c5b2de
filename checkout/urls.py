from django.urls import path

from . import views

app_name = "checkout"
urlpatterns = [
    path("me/hardware/", views.my_hardware, name="my_hardware"),
    path("me/requests/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("inventory/<int:pk>/request/", views.request_entry, name="request"),
    path("live/<str:token>/", views.live_fragment, name="live"),
]
