"""The JSON API (`/api/v1/`), django-ninja; each app contributes a router from its `api.py`.

`CqphubAPI.get_openapi_schema` documents the answers every operation of a kind can give, so that the
OpenAPI document is complete (schemathesis checks it, `tests/reference/test_api_schemathesis.py`):
- 401 on every operation with a security requirement (no or bad credentials);
- 403 on writes that accept the browser session (`SessionAuth`): Django's CSRF check;
- 422 on every operation that takes parameters or a body (ninja's validation: `detail` is a list),
  and 400 on every operation with a JSON body (a body that is not JSON).
Operation-specific answers (404, 409, 422 with a message…) are declared on the operation itself.
"""

from ninja import NinjaAPI

from cqphub.assessment.api import router as assessment_router
from cqphub.credentials.api import router as credentials_router
from cqphub.journeys.api import router as journeys_router
from cqphub.juries.api import router as juries_router
from cqphub.orientation.api import router as orientation_router
from cqphub.reference.api import router as reference_router
from cqphub.registry.api import router as registry_router
from cqphub.reporting.api import router as reporting_router

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {
            "title": "Detail",
            "description": "a message, or ninja's list of validation errors (each with `loc` and `msg`)",
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}],
        }
    },
    "required": ["detail"],
}
WRITES = {"post", "put", "patch", "delete"}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def document_common_answers(schema: dict) -> dict:
    """Add the answers shared by every operation of a kind (see the module docstring)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            security = operation.get("security") or []
            schemes = {name for requirement in security for name in requirement}
            if schemes:
                responses.setdefault(401, _error("No credentials, or credentials that are not valid"))
            if "SessionAuth" in schemes and method in WRITES:
                responses.setdefault(403, _error("Session without a valid CSRF token"))
            if operation.get("parameters") or operation.get("requestBody"):
                described = (
                    responses.get(422, {}).get("description") or "A parameter or the body is not valid"
                )
                responses[422] = _error(described)
            body = operation.get("requestBody", {}).get("content", {})
            if "application/json" in body:
                responses.setdefault(400, _error("The body is not JSON"))
    return schema


class CqphubAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return document_common_answers(
            super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        )


api = CqphubAPI(
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
