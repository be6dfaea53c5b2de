from django.urls import path

from .views import catalogue, live, lottery, participant

app_name = "checkout"
urlpatterns = [
    path("inventory/", catalogue.catalogue, name="catalogue"),
    path("inventory/<int:pk>/", catalogue.entry_detail, name="entry"),
    path("inventory/<int:pk>/request/", participant.request_entry, name="request"),
    path("me/hardware/", participant.my_hardware, name="my_hardware"),
    path("me/requests/<int:pk>/cancel/", participant.cancel, name="cancel"),
    path("lottery/draws/<int:pk>/", lottery.lottery_draw, name="lottery_draw"),
    path("live/<str:token>/", live.live_fragment, name="live"),
]
