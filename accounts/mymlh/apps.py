from django.apps import AppConfig


class MyMLHConfig(AppConfig):
    name = "accounts.mymlh"
    label = "mymlh"
    verbose_name = "MyMLH sign-in"
