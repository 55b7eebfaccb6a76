from ninja import NinjaAPI, Swagger

from iom.casework import api as _casework_api  # noqa: F401  (its operations join the router)
from iom.casework import api_records as _casework_records  # noqa: F401  (likewise)
from iom.casework.api_base import router as casework_router
from iom.cohorts.api import router as cohorts_router
from iom.feeds.api import router as feeds_router
from iom.governance.api import router as governance_router
from iom.meetings.api import router as meetings_router
from iom.monitoring.api import router as monitoring_router
from iom.people.api import router as people_router
from iom.reporting.api import router as reporting_router
from iom.scoring.api import router as scoring_router

from . import errors
from .auth import TokenAuth, in_access_context

api = NinjaAPI(
    title="Integrated Offender Management API",
    version="1",
    description=(
        "Search people, read a profile and add records, under the same access policy and "
        "access log as the web pages. Authenticate with `Authorization: Bearer <token>`. "
        "Viewing a person who is not on the token user's caseload needs an "
        "`X-Access-Reason` header. Errors are JSON: "
        '`{"error": {"code", "message", "fields": [{"field", "message"}]}}`.'
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    # Swagger UI from django-ninja's own bundled static files (``ninja`` is an installed
    # app, so no CDN is asked for), under the strict CSP: ninja's page has no inline script.
    # Public like the OpenAPI document it reads, which holds nobody's data.
    docs_url="/docs",
    docs=Swagger(settings={"persistAuthorization": False, "tryItOutEnabled": False}),
)
errors.install(api)
api.add_decorator(in_access_context)  # before the routers, so that they inherit it
api.add_router("/people", people_router)
api.add_router("/scores", scoring_router)
api.add_router("/cohorts", cohorts_router)
api.add_router("/meetings", meetings_router)
api.add_router("/casework", casework_router)
api.add_router("/feeds", feeds_router)
api.add_router("/impact", reporting_router)
api.add_router("/governance", governance_router)
api.add_router("/monitoring", monitoring_router)
