from django.db import connections, router
from django.utils import timezone

from ouderportaal.core.models import AuditLogEntry

COLUMNS = ["created_at", "actor", "action", "object_type", "object_id", "object_repr", "school_id", "data"]


def log_action(actor, action, obj=None, *, school_id=None, **data):
    """Write one audit row. `action` is namespaced, e.g. "pupil.medical.read"."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    _insert(
        {
            "created_at": timezone.now(),
            "actor": actor.pk if actor is not None else None,
            "action": action,
            "object_type": obj._meta.label_lower if obj is not None else "",
            "object_id": str(obj.pk) if obj is not None else "",
            "object_repr": str(obj)[:200] if obj is not None else "",
            "school_id": school_id if school_id is not None else getattr(obj, "school_id", None),
            "data": data,
        }
    )


def _insert(row):
    """One INSERT whose SQL comes from the model's fields, each value prepared by its field as save() would: every
    Medisch page writes a row, and the ORM's save() cost that page more than the database's work."""
    connection = connections[router.db_for_write(AuditLogEntry)]
    fields = [AuditLogEntry._meta.get_field(name) for name in COLUMNS]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model, quoted; values bound)
        quote(AuditLogEntry._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [field.get_db_prep_save(row[field.name], connection) for field in fields])
