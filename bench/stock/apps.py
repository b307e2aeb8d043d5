from django.apps import AppConfig


class StockConfig(AppConfig):
    """The stock baseline's pages: a home page and an 8-field AbstractForm page."""

    name = "bench.stock"
    label = "benchstock"
    default_auto_field = "django.db.models.BigAutoField"
