"""The one access policy: who may see and change which person's records, and what may
be done with them.

Every view, API operation, export and selector that touches a person's data
calls a helper from here first, and every decision of who may see or change a person,
a meeting, an item, an action or a case is made here; the apps' selectors only load
records and ask (000 ISA s6, docs/sources.md). Lists are scoped in
the query (``nominals_visible_to``), never filtered afterwards. A person the
user may not see raises ``NotFound``, exactly as a missing id does.

The rules, each a default that docs/architecture.md describes:
1. Only case-work roles see named people. Analysts, data-protection officers,
   board members and administrators work with aggregates, the access log and
   accounts.
2. A statutory partner's users see the people of their own partnership.
3. A non-statutory partner's users see a person only while their organisation
   is involved with them AND the organisation's current consent (or contract)
   record for that person is "given" and unexpired.
4. Police intelligence: police users, or a user holding the named permission
   ``accounts.view_intelligence``.
5. MAPPA and sex-offender registration detail: police and probation users.
6. Viewing a person who is not on one's own caseload needs a stated reason
   (asked for by the web and API layers, see ``iom.governance.web``).
7. A voluntary tag wearer's locations (trail, crime matches): the statutory
   kinds named in ``IOM_LOCATIONS_SEEN_BY`` (police by default) and the
   person's lead professional on an open case; never a non-statutory partner,
   whatever its consent. Crime batches and matching runs: police only.
8. A data-protection officer with an open subject access request for a person
   sees everything held on that person, restricted records included, to answer
   it (``subject_access_sight``); the sight ends when the request is answered.
9. Only statutory case workers arrange and run meetings, manage the cohort
   (decisions, placement, the steps of a case), write plans and produce documents
   (``require_statutory_case_worker``). Any case worker refers a person they may
   see, a non-statutory partner only as its own organisation (``may_refer_as``). A
   case's team changes, and its handover to the prison hub, are for a statutory case
   worker of one of its scheme's deciding agencies (``is_statutory_case_worker_of``).
10. Meetings: statutory case workers see every meeting of their partnership, a
   non-statutory partner's case worker only those they attend (``meeting_reach``);
   an item about a person only for those who may see the person and whose
   organisation is not shut out of it. Attendees sign the confidentiality statement
   themselves, or a statutory partner records it from paper (``may_record_signature``).
11. Actions: a case worker sees the actions of the people they may see, supervisors
   and coordinators those of their district's people (all they may see, without a
   district; ``is_casework_supervisor``), others their own; an action is owned only
   by a user or organisation who may see its person (``organisation_sees_nominal``),
   and updated by its owners or any statutory partner (``may_work_action``).

The rules live in three modules, all asked through this package
(``from iom.governance import policy``): ``people.py`` (rules 1 to 6), ``work.py``
(rules 7 and 9 to 11) and ``oversight.py`` (rules 1 and 8 for those who oversee:
data-protection officers, analysts, administrators, the board).
"""

from __future__ import annotations

from .oversight import (
    IMPACT_ROLES,
    NO_SIGHT,
    SUBJECT_ACCESS_SIGHT,
    access_nominal_for_audit,
    access_subject_access_request,
    can_administer,
    can_import_feeds,
    can_read_access_log,
    can_read_figures,
    can_review_retention,
    can_view_board_pack,
    can_view_impact,
    nominals_for_audit,
    nominals_for_figures,
    nominals_for_retention,
    open_subject_access,
    subject_access_sight,
)
from .people import (
    RECORD_KINDS_FOR_STATUTORY_WRITE,
    SYSTEM_SIGHT,
    Sight,
    access_nominal,
    access_nominal_for_change,
    can_see_intelligence,
    can_see_public_protection,
    caseload_of,
    consent_decision,
    consent_state_today,
    has_current_consent,
    intelligence_visible_to,
    is_casework_user,
    is_current_consent,
    is_on_caseload,
    is_statutory_case_worker,
    may_write_kind,
    nominals_visible_to,
    nominals_visible_to_organisation,
    partner_organisations,
    protection_visible_to,
    sees_nominal,
    sight_of,
    withholds_intelligence_scores,
)
from .work import (
    SUPERVISING_ROLES,
    MeetingReach,
    Owned,
    access_wearer_locations,
    can_manage_tags,
    can_match_crimes,
    can_see_locations,
    is_casework_supervisor,
    is_police_case_worker,
    is_statutory_case_worker_of,
    may_record_signature,
    may_refer_as,
    may_work_action,
    meeting_reach,
    organisation_sees_nominal,
    referring_organisations,
    require_statutory_case_worker,
)

__all__ = [
    "IMPACT_ROLES",
    "NO_SIGHT",
    "RECORD_KINDS_FOR_STATUTORY_WRITE",
    "SUBJECT_ACCESS_SIGHT",
    "SUPERVISING_ROLES",
    "SYSTEM_SIGHT",
    "MeetingReach",
    "Owned",
    "Sight",
    "access_nominal",
    "access_nominal_for_audit",
    "access_nominal_for_change",
    "access_subject_access_request",
    "access_wearer_locations",
    "can_administer",
    "can_import_feeds",
    "can_manage_tags",
    "can_match_crimes",
    "can_read_access_log",
    "can_read_figures",
    "can_review_retention",
    "can_see_intelligence",
    "can_see_locations",
    "can_see_public_protection",
    "can_view_board_pack",
    "can_view_impact",
    "caseload_of",
    "consent_decision",
    "consent_state_today",
    "has_current_consent",
    "intelligence_visible_to",
    "is_casework_supervisor",
    "is_casework_user",
    "is_current_consent",
    "is_on_caseload",
    "is_police_case_worker",
    "is_statutory_case_worker",
    "is_statutory_case_worker_of",
    "may_record_signature",
    "may_refer_as",
    "may_work_action",
    "may_write_kind",
    "meeting_reach",
    "nominals_for_audit",
    "nominals_for_figures",
    "nominals_for_retention",
    "nominals_visible_to",
    "nominals_visible_to_organisation",
    "open_subject_access",
    "organisation_sees_nominal",
    "partner_organisations",
    "protection_visible_to",
    "referring_organisations",
    "require_statutory_case_worker",
    "sees_nominal",
    "sight_of",
    "subject_access_sight",
    "withholds_intelligence_scores",
]
