"""django-otp's recovery codes (otp_static, plain text) become hashed RecoveryCodes; the plain ones are deleted."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ouderportaal.twofactor.models import digest

    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    RecoveryCodeDevice = apps.get_model("twofactor", "RecoveryCodeDevice")
    RecoveryCode = apps.get_model("twofactor", "RecoveryCode")
    for static in StaticDevice.objects.all():
        device = RecoveryCodeDevice.objects.create(user_id=static.user_id, name=static.name, confirmed=static.confirmed)
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=device, digest=digest(token)) for token in static.token_set.values_list("token", flat=True)
        )
        static.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("twofactor", "0001_recovery_codes"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
