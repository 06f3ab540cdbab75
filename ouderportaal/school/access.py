"""The one authorisation path of the parent pages: a guardian reaches only their own children."""

from django.http import Http404

from ouderportaal.school.models import Pupil


def visible_pupils(user):
    return Pupil.objects.for_guardian(user)


def get_pupil_or_404(user, public_id, queryset=None):
    queryset = visible_pupils(user) if queryset is None else queryset & visible_pupils(user)
    pupil = queryset.filter(public_id=public_id).first()
    if pupil is None:
        raise Http404("Geen leerling")
    return pupil
