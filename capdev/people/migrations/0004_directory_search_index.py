"""The directory's ordering index also holds the e-mail: a name search (first name, last name or
e-mail contains the text) walking the directory in order is then checked on the index alone.
Without it, each row visited cost a table lookup: on SQLite the search for a rare name read
100,000 rows that way (300 ms); on PostgreSQL a two-letter search walked the heap."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_list_order_index"),
        ("people", "0003_trigram_search_indexes"),
        ("reference", "0002_load_reference_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["last_name", "first_name", "id", "email"], name="person_directory_search"),
        ),
        migrations.RemoveIndex(model_name="person", name="person_directory_order"),
    ]
