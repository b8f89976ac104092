"""/.well-known/did.json: the platform issuer's DID document (did:web resolution)."""

from django.urls import path

from cqphub.credentials.views import did_document

urlpatterns = [path("did.json", did_document, name="well_known_did")]
