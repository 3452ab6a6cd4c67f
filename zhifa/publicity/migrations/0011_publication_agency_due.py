"""The staff list of an agency's publications by due date, in every state (决定公开; docs/publication.md, 规模)."""


from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("publicity", "0010_publication_facets")]

    operations = [
        migrations.AddIndex(
            model_name='publication',
            index=models.Index(fields=['agency', 'due_on', 'id'], name='publication_agency_due'),
        ),
    ]
