"""What goes into each document: the person's records, laid out as in the seeds
(000 App A and B and the ISA confidentiality statement, 001 App A and B, 002
intervention statements)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

from django.template.loader import render_to_string

from iom.accounts.models import User
from iom.cohorts.models import CohortMembership, Referral
from iom.governance import policy
from iom.people.models import Nominal
from iom.scoring.services import scores_for

from .confidentiality import confidentiality_statement as statement_text
from .models import Contact, DocumentKind, InterventionPlan, ServiceReferral
from .pdf import Document


def _when(day: date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def _address(nominal: Nominal) -> str:
    current = nominal.addresses.filter(to_date__isnull=True).first()
    if current is None:
        return ""
    parts = [current.line1, current.line2, current.town, current.postcode]
    return ", ".join(p for p in parts if p)


def _case(nominal: Nominal) -> CohortMembership | None:
    return CohortMembership.objects.filter(nominal=nominal).select_related(
        "lead_professional", "lead_agency").first()


def _manager(nominal: Nominal, user: User) -> tuple[str, str]:
    case = _case(nominal)
    lead = case.lead_professional if case and case.lead_professional else user
    return lead.display_name, str(lead.organisation or "")


def _footer(nominal: Nominal, user: User, today: date) -> str:
    return f"{nominal.full_name}, born {_when(nominal.date_of_birth)}. Produced {_when(today)} " \
           f"by {user.display_name}, {user.organisation}."


def referral_form(nominal: Nominal, user: User, today: date) -> Document:
    case = _case(nominal)
    referral: Referral | None = getattr(case, "referral", None) if case else None
    doc = Document("Integrated Offender Management (IOM) referral form",
                   caption="Restricted when complete", marking="OFFICIAL-SENSITIVE: RESTRICTED")
    doc.paragraph("Integrated Offender Management improves the way in which criminal justice "
                  "agencies and other partners share information and work together to control, "
                  "manage and supervise a small, targeted group of offenders who are assessed "
                  "as being at a high risk of reoffending.")
    r = referral
    doc.details([
        ("Date of referral", _when(r.referred_on) if r else ""),
        ("Name", nominal.full_name), ("Date of birth", _when(nominal.date_of_birth)),
        ("CRN", nominal.crn or "Not known"), ("PNC ID", nominal.pnc_id or "Not known"),
        ("Address", _address(nominal)),
        ("Primary substance", nominal.get_primary_substance_display()
         if nominal.primary_substance else ""),
        ("Current offences or issues of current concern", r.current_offences if r else ""),
        ("Index offences", r.index_offences if r else ""),
        ("Relevant factors", r.relevant_factors if r else ""),
        ("Needs", ", ".join(r.need_labels()) if r else ""),
        ("Referral completed by", r.referrer_name if r else user.display_name),
        ("Agency", str(r.referring_organisation) if r else str(user.organisation)),
        ("Offender manager", r.offender_manager if r else ""),
        ("OGRS score (12 months)", r.ogrs_1y if r and r.ogrs_1y is not None else ""),
        ("OGRS score (24 months)", r.ogrs_2y if r and r.ogrs_2y is not None else ""),
        ("ONS Crime Severity Score", r.crime_severity if r and r.crime_severity else ""),
        ("Current orders or licences", r.current_orders if r else ""),
        ("Previously on the PPO or IOM scheme",
         {True: "Yes", False: "No"}.get(r.previously_iom, "") if r and
         r.previously_iom is not None else ""),
    ])
    doc.paragraph("When possible, the referrer should attend the IOM panel when this person is "
                  "considered for inclusion on the IOM scheme.")
    return doc


def matrix_sheet(nominal: Nominal, user: User, today: date) -> Document:
    result = scores_for(nominal, today, sight=policy.sight_of(user))["iom_matrix"]
    doc = Document("IOM Matrix", caption=f"Scored as at {_when(today)}")
    doc.details([("Nominal number", nominal.pnc_id or f"IOM {nominal.pk}"),
                 ("Name", nominal.full_name), ("Date of birth", _when(nominal.date_of_birth)),
                 ("Total crime and impact score",
                  result.error.message if result.error else _number(result.value)),
                 ("Decision", (result.band or "not scored").replace("_", " ").capitalize())])
    # The bands are short and read with the decision, so they come before the working.
    doc.heading("Bands")
    doc.table(["Raw score", "To panel"], [("0 to 79", "Not eligible for panel"),
                                          ("80 to 89", "Professional discretion"),
                                          ("90 and over", "To panel")], widths=[0.3, 0.7])
    counted = [c for c in result.working if c.amount]
    doc.heading("How the score is made up")
    doc.table(["What counts", "Detail", "Score"],
              [(_matrix_rule(c.rule), c.detail, _number(c.amount)) for c in counted],
              widths=[0.28, 0.57, 0.15], empty="No offences, intelligence, arrests or "
                                               "breaches count towards the score.")
    left_out = len(result.working) - len(counted)
    if left_out:
        doc.paragraph(f"{left_out} other record{'s were' if left_out > 1 else ' was'} looked at "
                      "and scored nothing.")
    return doc


def _matrix_rule(rule: str) -> str:
    words = rule.removeprefix("matrix_").replace("_", " ")
    return words.replace("12 months", "in the last 12 months").capitalize()


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def offender_letter(nominal: Nominal, user: User, today: date) -> Document:
    manager, organisation = _manager(nominal, user)
    doc = Document("Introduction to Integrated Offender Management",
                   caption=f"{_when(today)}. Letter with information sharing consent")
    doc.text(render_to_string("casework/documents/offender_letter.txt",
                              {"name": nominal.full_name, "manager": manager}))
    doc.signatures(["Name", "Signed", "Date"])
    doc.signatures([f"Offender manager: {manager}", f"Organisation: {organisation}", "Date"])
    return doc


def confidentiality_statement(nominal: Nominal, user: User, today: date) -> Document:
    doc = Document("Confidentiality statement",
                   caption=f"To be read out before the meeting commences. {_when(today)}")
    doc.text(statement_text())  # the very text attendees sign at meetings
    doc.paragraph("By signing below, each attendee confirms that this statement has been read "
                  "out and that they will keep to it.")
    doc.signatures(["Name", "Organisation", "Signature"], rows=10)
    return doc


def intervention_statement(nominal: Nominal, user: User, today: date) -> Document:
    """For a court: what has been offered and how the person has responded (002)."""
    plan = InterventionPlan.objects.filter(nominal=nominal).first()
    doc = Document("Intervention statement", caption=f"For the court. Prepared {_when(today)}")
    doc.details([("Name", nominal.full_name), ("Date of birth", _when(nominal.date_of_birth)),
                 ("PNC ID", nominal.pnc_id or "Not known"),
                 ("Prepared by", f"{user.display_name}, {user.organisation}"),
                 ("Plan started", _when(plan.started_on) if plan else "No plan recorded")])
    doc.paragraph("This statement sets out the help the Integrated Offender Management team has "
                  "offered, across the resettlement pathways, and how the person responded.")
    doc.heading("What was offered and how the person responded")
    referrals = ServiceReferral.objects.filter(need__plan__nominal=nominal).select_related(
        "need__plan").order_by("referred_on")
    doc.table(["Pathway", "Offered", "Date", "Response"],
              [(r.need.pathway_label, r.service, _when(r.referred_on),
                f"{r.get_status_display()}. {r.response}".strip()) for r in referrals],
              widths=[0.22, 0.26, 0.16, 0.36], empty="No services have been offered yet.")
    _contacts_section(doc, nominal)
    if plan is not None:
        doc.heading("Intermediate outcomes")
        doc.table(["Outcome", "Status", "Date"],
                  [(o.get_kind_display(), o.status_label, _when(o.recorded_on))
                   for o in plan.outcomes.all()], widths=[0.35, 0.45, 0.2])
    doc.signatures(["Signed", "Name and role", "Date"])
    return doc


def _contacts_section(doc: Document, nominal: Nominal) -> None:
    contacts = list(Contact.objects.filter(nominal=nominal))
    doc.heading("Engagement with the team")
    counts = Counter((c.get_kind_display(), c.get_outcome_display()) for c in contacts)
    doc.table(["Contact", "Outcome", "Number"],
              [(kind, outcome, n) for (kind, outcome), n in sorted(counts.items())],
              widths=[0.4, 0.4, 0.2], empty="No visits or appointments recorded.")


def exit_letter(nominal: Nominal, user: User, today: date) -> Document:
    manager, organisation = _manager(nominal, user)
    case = _case(nominal)
    doc = Document("Leaving Integrated Offender Management", caption=_when(today))
    doc.text(render_to_string("casework/documents/exit_letter.txt", {
        "name": nominal.full_name, "manager": manager, "organisation": organisation,
        "ended_on": case.ended_on if case else None,
        "monitored": bool(case and case.monitored)}))
    return doc


BUILDERS: dict[str, Callable[[Nominal, User, date], Document]] = {
    DocumentKind.REFERRAL_FORM: referral_form,
    DocumentKind.MATRIX_SHEET: matrix_sheet,
    DocumentKind.OFFENDER_LETTER: offender_letter,
    DocumentKind.CONFIDENTIALITY: confidentiality_statement,
    DocumentKind.INTERVENTION_STATEMENT: intervention_statement,
    DocumentKind.EXIT_LETTER: exit_letter,
}


# The restricted kinds of record each document is worked out from (the IOM Matrix reads the
# scores, which read police intelligence); the rest read none.
READS: dict[str, policy.Sight] = {
    DocumentKind.MATRIX_SHEET: policy.Sight(intelligence=True, public_protection=False),
}
NOTHING_RESTRICTED = policy.Sight(intelligence=False, public_protection=False)


def reads(kind: str, producer: User) -> policy.Sight:
    """What a document of this kind, produced by this user, holds of restricted records."""
    return READS.get(kind, NOTHING_RESTRICTED) & policy.sight_of(producer)


def build(kind: str, nominal: Nominal, user: User, today: date) -> Document:
    doc = BUILDERS[kind](nominal, user, today)
    doc.footer = _footer(nominal, user, today)
    return doc
