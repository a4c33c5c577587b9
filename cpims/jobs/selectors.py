from django.db.models import QuerySet

from cpims.jobs.models import Job


def jobs_visible_to(user) -> QuerySet[Job]:
    if not (user.is_authenticated and user.has_capability("admin.jobs")):
        return Job.objects.none()
    return Job.objects.all()
