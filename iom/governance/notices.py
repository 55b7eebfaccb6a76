"""Notices in a user's inbox: consent about to expire, and corrections (000 s7).

Governance imports no app to its right, so who leads a person's case is asked of
the finders other apps register (the cohorts app registers the case's lead
professional); without one, the people who hold the person on their caseload
are told.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access
from iom.people.models import Allocation, Nominal

from .models import Consent, ConsentStatus, Notice, NoticeKind

LeadFinder = Callable[[Nominal], Iterable[User]]
LEAD_FINDERS: list[LeadFinder] = []


def find_leads_with(finder: LeadFinder) -> None:
    """Register ``finder(nominal) -> users`` who lead the person's case, once."""
    if finder not in LEAD_FINDERS:
        LEAD_FINDERS.append(finder)


def leads_of(nominal: Nominal, on: date) -> list[User]:
    """Who leads the person's case: registered finders first, else their caseload holders."""
    found: dict[int, User] = {}
    for finder in LEAD_FINDERS:
        for user in finder(nominal):
            if user.is_active:
                found[user.pk] = user
    if not found:
        held = Allocation.objects.filter(nominal=nominal, start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)).select_related("user")
        found = {a.user.pk: a.user for a in held if a.user.is_active}
    return list(found.values())


# Wording per reader ------------------------------------------------------------------
#
# A notice from another app keeps structured codes in ``facts``; the app registers how
# to word its kinds for a reader (their sight of restricted records), so what names a
# restricted record is written for each reader when shown, never stored as text.

NoticeWords = Callable[[Notice, User], str]
NOTICE_WORDS: dict[str, NoticeWords] = {}


def word_notices_with(kinds: Iterable[str], words: NoticeWords) -> None:
    """Register ``words(notice, reader) -> text`` for these notice kinds."""
    for kind in kinds:
        NOTICE_WORDS[kind] = words


def words_for(notice: Notice, reader: User) -> str:
    """The notice as this reader may read it: registered wording, else its summary."""
    words = NOTICE_WORDS.get(notice.kind)
    return words(notice, reader) if words is not None else notice.summary


def place_notice(notice: Notice) -> bool:
    """Store a notice from another app once per recipient and key (False: already there)."""
    return _place(notice)


def _place(notice: Notice) -> bool:
    """Store a notice once per recipient and key; False when it was already there."""
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        return False
    return True


# Consent expiry ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    consent: Consent
    recipients: list[User]
    placed: int


def expiring_consents(on: date, days: int) -> QuerySet[Consent]:
    """Current 'given' decisions that expire from ``on`` to ``on + days`` inclusive.

    Only the newest decision per person and organisation counts: a consent
    already replaced by a refusal, or renewed, is not reminded of.
    """
    newest = Consent.objects.filter(
        nominal=OuterRef("nominal"), organisation=OuterRef("organisation"),
        decided_on__lte=on).order_by("-decided_on", "-id").values("pk")[:1]
    return (Consent.objects.filter(status=ConsentStatus.GIVEN, decided_on__lte=on,
                                   expires_on__gte=on, expires_on__lte=on + timedelta(days=days))
            .filter(pk=Subquery(newest)).select_related("nominal", "organisation"))


def remind_of_expiring_consent(*, on: date | None = None, through: str,
                               days: int | None = None) -> list[Reminder]:
    """Tell each lead professional, once, of consent expiring in the next 28 days.

    Safe to run every day (from cron or the task runner): a reminder already given
    for a consent and its expiry date is not given again; a renewed consent with a
    new expiry date is reminded of afresh.
    """
    on = on or timezone.localdate()
    days = settings.IOM_CONSENT_REMINDER_DAYS if days is None else days
    done: list[Reminder] = []
    for consent in expiring_consents(on, days):
        assert consent.expires_on is not None
        recipients = leads_of(consent.nominal, on)
        left = (consent.expires_on - on).days
        placed = 0
        for user in recipients:
            notice = Notice(
                recipient=user, nominal=consent.nominal, kind=NoticeKind.CONSENT_EXPIRY,
                recipient_organisation=str(user.organisation or ""),
                key=f"consent_expiry:{consent.pk}:{consent.expires_on.isoformat()}",
                respond_by=consent.expires_on,
                summary=(f"Consent to share with {consent.organisation} expires on "
                         f"{consent.expires_on:%-d %B %Y} (in {left} day{'s' if left != 1 else ''}"
                         "). Renew it with the person, or the partner loses sight of them."))
            if _place(notice):
                placed += 1
        if placed:
            record_access(user=None, action=Action.CREATE, through=through,
                          nominal_id=consent.nominal_id,
                          records=[RecordRef("consent", consent.pk)],
                          detail={"notice": "consent_expiry", "recipients": placed})
        done.append(Reminder(consent, recipients, placed))
    return done


# Reading and acknowledging ----------------------------------------------------------


def notices_for(user: User) -> QuerySet[Notice]:
    """The user's own notices. A correction reaches its reader even after they lose
    sight of the person (they must correct what they hold), so this is not scoped
    to the people they may see; its summary names no restricted content."""
    return Notice.objects.filter(recipient_id=user.pk).select_related("nominal", "correction")


def unacknowledged_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return notices_for(user).filter(acknowledged_at__isnull=True).count()


@transaction.atomic
def acknowledge(*, notice: Notice, acting_user: User, through: str) -> Notice:
    if notice.acknowledged_at is None:
        notice.acknowledged_at = timezone.now()
        notice.save(update_fields=["acknowledged_at"])
        record_access(user=acting_user, action=Action.UPDATE, through=through,
                      nominal_id=notice.nominal_id, records=[RecordRef("notice", notice.pk)],
                      detail={"acknowledged": notice.kind})
    return notice


def email_notice(notice: Notice) -> None:
    """E-mail the notice too, when IOM_CORRECTION_EMAILS is on; the e-mail names nobody."""
    if not settings.IOM_CORRECTION_EMAILS or not notice.recipient.email:
        return
    send_mail(subject="IOM: a record you received has been corrected",
              message=("A record you received through the IOM system has been corrected or "
                       "withdrawn. Sign in and open your notices to see what changed and why."),
              from_email=None, recipient_list=[notice.recipient.email], fail_silently=True)
