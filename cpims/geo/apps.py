from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "cpims.geo"
    verbose_name = "Places"
