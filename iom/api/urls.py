from ninja import NinjaAPI

from iom.casework.api import router as casework_router
from iom.cohorts.api import router as cohorts_router
from iom.feeds.api import router as feeds_router
from iom.meetings.api import router as meetings_router
from iom.monitoring.api import router as monitoring_router
from iom.people.api import router as people_router
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
    docs_url=None,
)
errors.install(api)
api.add_decorator(in_access_context)  # before the routers, so that they inherit it
api.add_router("/people", people_router)
api.add_router("/scores", scoring_router)
api.add_router("/cohorts", cohorts_router)
api.add_router("/meetings", meetings_router)
api.add_router("/casework", casework_router)
api.add_router("/feeds", feeds_router)
api.add_router("/monitoring", monitoring_router)
