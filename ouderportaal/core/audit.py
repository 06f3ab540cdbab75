from ouderportaal.core.models import AuditLogEntry


def log_action(actor, action, obj=None, *, school_id=None, **data):
    """Write one audit row. `action` is namespaced, e.g. "pupil.medical.read"."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditLogEntry.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        school_id=school_id if school_id is not None else getattr(obj, "school_id", None),
        data=data,
    )
