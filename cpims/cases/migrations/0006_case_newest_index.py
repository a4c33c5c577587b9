from django.db import migrations, models


class Migration(migrations.Migration):
    """The case list's order over every case: an area officer's page walks it and stops at
    its rows instead of sorting their whole visible set."""

    dependencies = [("cases", "0005_list_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["-opened_at", "-id"], name="case_newest_idx"),
        ),
    ]
