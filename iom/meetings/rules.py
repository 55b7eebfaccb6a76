"""The partnership's meeting rules: defaults from the seeds, changed in settings.

Defaults: tasking meets at least 3 days a week and decides only with at least 3
agencies present (001 s8); attendees sign the confidentiality statement of the
2015 information sharing agreement (000 ISA Appendix A) before the meeting opens.
``IOM_MEETING_RULES`` (a dict of the field names below) and
``IOM_CONFIDENTIALITY_STATEMENT`` (the text) override them. The generated agenda
brings the first ``candidates_max`` candidates who meet a cohort type under the
partnership's scheme policy (``IOM_MEETING_POLICIES``, partnership name to policy
name, or else the policy of most of its cases: see ``agenda.scheme_policy``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.conf import settings

STATEMENT = """All partners have agreed boundaries of confidentiality, this meeting respects \
these normal boundaries and is held under a shared understanding that:

1. This meeting is convened in circumstances where the actions of an individual are such \
that the risk to the safety of the public or of other individuals posed by the subject \
sufficiently outweighs their rights to confidentiality and can be legally justified.

2. All documentation (including emails) will be marked 'In Confidence' and must be held \
securely, so as to protect the information from unauthorised or accidental disclosure, \
loss, destruction or alteration.

3. The disclosure of information outside the meeting beyond that which is agreed at the \
meeting, will be viewed as breach of the confidentiality. Each partner will deal with any \
notified breach of this in accordance with their own policies and procedures.

4. If further disclosure is felt to be essential, permission must be sought from the Chair \
of the Panel or IOM Coordinator and a decision will be made on the basis of justifiable need \
to know for reason of public protection.

5. The discussions and decisions of the meeting take account of Article 8.2 European \
Convention of Human Rights (ECHR), with particular reference to: public safety; the \
prevention of crime and disorder; the protection of health and morals; the protection of \
the rights and freedom of others."""


@dataclass(frozen=True)
class MeetingRules:
    tasking_days_per_week: int = 3
    decision_quorum: int = 3  # agencies present, signed, for a decision
    release_months: int = 3  # releases this far ahead come to the agenda
    threat_days: int = 14  # emerging threats raised this recently
    candidates_max: int = 10  # the first candidates meeting a cohort type; 0 for none
    schedule_weeks_max: int = 26  # how far ahead one schedule may create meetings


def meeting_rules() -> MeetingRules:
    overrides = getattr(settings, "IOM_MEETING_RULES", {}) or {}
    known = {f.name for f in fields(MeetingRules)}
    return MeetingRules(**{k: int(v) for k, v in overrides.items() if k in known})


def confidentiality_statement() -> str:
    text = getattr(settings, "IOM_CONFIDENTIALITY_STATEMENT", "") or STATEMENT
    return str(text).strip()
