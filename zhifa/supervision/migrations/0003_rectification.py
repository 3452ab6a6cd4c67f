"""整改 (rectification) and the kind of its time limit (a platform deadline kind, 20 working days by default; an
agency may set its own length, as for every kind it may change)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

KIND = dict(
    name="整改期限",
    legal_basis="监督机关的整改通知（《行政执法监督条例》，期限由监督机关确定）",
    start_event="整改通知之日",
    length=20,
    unit="working_days",
    direction="after",
    holiday_rule="none",
    agency_may_change=True,
    binds_party=False,
    extension_length=None,
    max_extensions=0,
    note="报送整改情况时完成；监督人员退回重新整改的，自退回之日重新计算。超期时告知整改执法主体的负责人。",
)


def seed(apps, schema_editor):
    DeadlineKind = apps.get_model("workdays", "DeadlineKind")
    last = DeadlineKind.objects.order_by("-position").values_list("position", flat=True).first() or 0
    DeadlineKind.objects.update_or_create(code="rectification", defaults=dict(KIND, position=last + 10))


def unseed(apps, schema_editor):
    apps.get_model("workdays", "DeadlineKind").objects.filter(code="rectification").delete()


class Migration(migrations.Migration):
    dependencies = [
        ('cases', '0008_case_extension_request_index'),
        ('org', '0006_authevent_agency_at'),
        ('supervision', '0002_default_standard'),
        ('workdays', '0007_reminder'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Rectification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item_code', models.SlugField(blank=True, max_length=40, verbose_name='评查项目')),
                ('problem', models.TextField(verbose_name='发现的问题')),
                ('requirement', models.TextField(verbose_name='整改要求')),
                ('opened_on', models.DateField(verbose_name='整改通知日期')),
                ('state', models.CharField(choices=[('open', '整改中'), ('submitted', '待核验'), ('verified', '已整改')], default='open', max_length=10, verbose_name='状态')),
                ('fix_note', models.TextField(blank=True, verbose_name='整改情况')),
                ('fix_file_name', models.CharField(blank=True, max_length=300, verbose_name='整改材料')),
                ('fix_sha256', models.CharField(blank=True, max_length=64)),
                ('fix_content_type', models.CharField(blank=True, max_length=50)),
                ('submitted_on', models.DateField(blank=True, null=True, verbose_name='报送日期')),
                ('verified_on', models.DateField(blank=True, null=True, verbose_name='核验日期')),
                ('verify_note', models.TextField(blank=True, verbose_name='核验意见')),
                ('rounds', models.PositiveSmallIntegerField(default=0, verbose_name='退回次数')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.agency', verbose_name='整改执法主体')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.case', verbose_name='案件')),
                ('deadline', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='workdays.deadline', verbose_name='整改期限')),
                ('evaluation_file', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='rectifications', to='supervision.evaluationfile', verbose_name='评查案卷')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='整改责任人')),
                ('raised_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='提出人')),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='报送人')),
                ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='核验人')),
            ],
            options={
                'verbose_name': '整改',
                'verbose_name_plural': '整改',
                'ordering': ['-opened_on', '-id'],
                'indexes': [models.Index(fields=['agency', 'state'], name='rectification_agency_state')],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
