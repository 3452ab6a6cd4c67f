"""Deadline reminders (issue 15: reminders go out through the task queue before the deadline; docs/workdays.md)."""



import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workdays', '0006_deadline_open_due_anywhere'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Reminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(choices=[('due_soon', '期限即将届满'), ('overdue', '期限已超期'), ('escalated', '本机关有期限超期'), ('elapsed', '当事人期限已届满')], max_length=20, verbose_name='提醒事项')),
                ('due', models.DateField(verbose_name='届满日')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='提醒时间')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='阅读时间')),
                ('deadline', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reminders', to='workdays.deadline', verbose_name='期限')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reminders', to=settings.AUTH_USER_MODEL, verbose_name='提醒对象')),
            ],
            options={
                'verbose_name': '期限提醒',
                'verbose_name_plural': '期限提醒',
                'ordering': ['-id'],
                'indexes': [models.Index(fields=['person', 'read_at', 'id'], name='reminder_person_unread')],
                'constraints': [models.UniqueConstraint(fields=('deadline', 'due', 'stage', 'person'), name='reminder_once')],
            },
        ),
    ]
