"""Load ISO 3166-1 countries with the programme's regions, and the thematic/specific areas."""

from django.db import migrations


def load(apps, schema_editor):
    from capdev.reference.loaders import load_countries, load_thematic_areas

    load_countries(apps.get_model("reference", "Country"))
    load_thematic_areas(apps.get_model("reference", "ThematicArea"), apps.get_model("reference", "SpecificArea"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
