"""The impact pack of one partnership for a period, as every output reads it.

The pages, the API, the CSV, XLSX and PDF downloads and the ``board_pack``
command all read ``impact_pack``, so they show the same numbers and the same
``[c]``: the stored result for the scope while it is fresh, otherwise computed
and stored (``services.fresh_or_stored``). Reading it writes one access-log
entry (personal data of many people was processed to make aggregates), with
the time the figures are as at; each export writes another, with its format.
"""

from __future__ import annotations

from iom.accounts.models import User
from iom.audit.models import Action
from iom.audit.services import record_access

from .compute import reporting_config
from .measures.assemble import Pack
from .selectors import Scope, describe
from .services import fresh_or_stored

__all__ = ["describe", "impact_pack", "log_export", "reporting_config"]


def impact_pack(scope: Scope, *, user: User | None, through: str) -> Pack:
    """The scope's pack: the stored result while it is fresh, otherwise computed and
    stored (so only the first read after a change pays). Logged as a view either way."""
    pack = fresh_or_stored(scope)
    record_access(user=user, action=Action.VIEW, through=through,
                  detail={"impact": describe(scope), "figures_as_at": _when(pack)})
    return pack


def _when(pack: Pack) -> str:
    return pack.figures_as_at.isoformat() if pack.figures_as_at else ""


def log_export(scope: Scope, *, user: User | None, through: str, fmt: str) -> None:
    record_access(user=user, action=Action.EXPORT, through=through,
                  detail={"impact": describe(scope), "format": fmt})
