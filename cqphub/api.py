"""The JSON API (`/api/v1/`), django-ninja; each app contributes a router from its `api.py`."""

from ninja import NinjaAPI

from cqphub.assessment.api import router as assessment_router
from cqphub.credentials.api import router as credentials_router
from cqphub.journeys.api import router as journeys_router
from cqphub.juries.api import router as juries_router
from cqphub.orientation.api import router as orientation_router
from cqphub.reference.api import router as reference_router
from cqphub.registry.api import router as registry_router
from cqphub.reporting.api import router as reporting_router

api = NinjaAPI(
    title="cqphub API",
    version="1",
    description="Certifications (RNCP, RS, CQP / CQPI), reference lists and orientation, as JSON.",
    urls_namespace="api",
)
api.add_router("/", registry_router)
api.add_router("/", reference_router)
api.add_router("/", orientation_router)
api.add_router("/", journeys_router)
api.add_router("/", assessment_router)
api.add_router("/", juries_router)
api.add_router("/", credentials_router)
api.add_router("/", reporting_router)
