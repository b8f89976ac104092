"""Registry pages (thin): browse and one fiche. Search arrives with the search issue."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from cqphub.registry.models import Certification


def index(request):
    queryset = Certification.objects.filter(withdrawn_at__isnull=True).only(
        "code", "title", "register", "level", "active", "abbreviation_code", "is_cqp"
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "registry/index.html", {"page": page})


def detail(request, code: str):
    certification = get_object_or_404(Certification, code=code.upper())
    return render(request, "registry/detail.html", {"certification": certification})
