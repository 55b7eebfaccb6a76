"""A partnership whose every restricted kind of record carries a unique canary string.

``build_canary_world()`` makes, through the same services users go through, two
partnerships (Northshire and Westmoor) with a user for every role of the access
policy, and people whose records hold canaries:

- police intelligence (its summary, and a grading the working prints as ``C1-E5``),
- MAPPA management and sex-offender registration (their notes),
- a closed-session agenda item's notes (the item is about a person the mentoring
  charity, which attends the meeting, may not see),
- a person of another partnership (name and PNC ID),
- people whose consent was refused or withdrawn by a partner (names),
- a voluntary tag wearer's locations (a latitude no other record prints), which only
  the police and the person's lead professional may read (policy rule 7).

Each canary says which person it belongs to and which restricted kind it is, so
the crawl (``tests/test_canary_crawl.py``) asks the access policy whether a
persona may read it, rather than a hand-kept list.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import polars as pl
from django.contrib.auth.models import Permission
from django.utils import timezone

from iom.accounts.models import District, Organisation, OrganisationKind, Partnership, Role, User
from iom.casework import services as casework
from iom.cohorts.lifecycle import Meeting as PanelMeeting
from iom.cohorts.lifecycle import Outcome
from iom.cohorts.lifecycle import services as cohorts
from iom.cohorts.models import CohortMembership
from iom.core.identifiers import make_pnc_id
from iom.feeds.feedformat import COLUMNS
from iom.feeds.models import Alert
from iom.feeds.services import import_file, start_run
from iom.governance import subject_access
from iom.governance.models import ConsentStatus
from iom.governance.services import record_consent, record_involvement
from iom.meetings import services as meetings
from iom.meetings.models import AgendaItem, Meeting
from iom.people import services as people
from iom.people.models import Nominal
from iom.scoring.models import EmergingThreat, ScoreRun, StoredScore

THROUGH = "test canary world"
PASSWORD = "Not-used-in-tests-4821"

# persona: (username, organisation key, role, holds accounts.view_intelligence)
PERSONAS: dict[str, tuple[str, str, Role, bool]] = {
    "police_om": ("canary.police", "police", Role.OFFENDER_MANAGER, False),
    "police_supervisor": ("canary.sergeant", "police", Role.SUPERVISOR, False),
    "coordinator": ("canary.coordinator", "police", Role.COORDINATOR, False),
    "probation": ("canary.probation", "probation", Role.PROBATION_OFFICER, False),
    "probation_with_intelligence": ("canary.probation.intel", "probation",
                                    Role.PROBATION_OFFICER, True),
    "prison": ("canary.prison", "prison", Role.PRISON_OFFICER, False),
    "youth_justice": ("canary.yjs", "youth_justice", Role.YOUTH_JUSTICE_OFFICER, False),
    "council_housing": ("canary.housing", "council", Role.HOUSING_OFFICER, False),
    "mentor_with_consent": ("canary.mentor", "voluntary", Role.PRACTITIONER, False),
    "recovery_refused": ("canary.recovery", "drug_alcohol", Role.PRACTITIONER, False),
    "homes_withdrawn": ("canary.homes", "housing", Role.PRACTITIONER, False),
    "analyst": ("canary.analyst", "police", Role.ANALYST, False),
    "board_member": ("canary.board", "council", Role.BOARD_MEMBER, False),
    "dpo": ("canary.dpo", "council", Role.DATA_PROTECTION_OFFICER, False),
    "admin": ("canary.admin", "police", Role.ADMIN, False),
    "west_officer": ("canary.west", "west_police", Role.OFFENDER_MANAGER, False),
    "west_coordinator": ("canary.west.coordinator", "west_police", Role.COORDINATOR, False),
}

ORGANISATIONS: dict[str, tuple[str, OrganisationKind, bool, str]] = {
    "police": ("Northshire Police", OrganisationKind.POLICE, True, "north"),
    "probation": ("Northshire Probation", OrganisationKind.PROBATION, True, "north"),
    "prison": ("HMP Northshire", OrganisationKind.PRISON, True, "north"),
    "council": ("Northshire City Council", OrganisationKind.COUNCIL, True, "north"),
    "youth_justice": ("Northshire Youth Justice", OrganisationKind.YOUTH_JUSTICE, True,
                      "north"),
    "drug_alcohol": ("Northshire Recovery", OrganisationKind.DRUG_ALCOHOL, False, "north"),
    "housing": ("Northshire Homes", OrganisationKind.HOUSING, False, "north"),
    "voluntary": ("Northshire Mentors", OrganisationKind.VOLUNTARY, False, "north"),
    "west_police": ("Westmoor Police", OrganisationKind.POLICE, True, "west"),
}

# The restricted kinds a canary can be; "person" is anything about a person at all.
PERSON, INTELLIGENCE, PROTECTION = "person", "intelligence", "protection"
LOCATION = "location"  # where a voluntary tag has been (policy.can_see_locations)


@dataclass(frozen=True)
class Canary:
    text: str
    nominal_id: int
    kind: str  # PERSON, INTELLIGENCE, PROTECTION or LOCATION
    what: str  # where it was planted, for the failure message


@dataclass
class CanaryWorld:
    users: dict[str, User]
    orgs: dict[str, Organisation]
    people: dict[str, Nominal]
    ids: dict[str, int]  # the real ids the crawl fills URL parameters with
    canaries: list[Canary] = field(default_factory=list)

    @property
    def people_by_id(self) -> dict[int, Nominal]:
        return {n.pk: n for n in self.people.values()}


def _token(label: str) -> str:
    return f"CANARY-{label}-{secrets.token_hex(4)}"


def _name_token() -> str:
    """A surname no page prints by chance (names are shown upper-cased, so letters only)."""
    return "Canary" + "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))


class _Builder:
    def __init__(self, upload_dir: Path) -> None:
        self.today = timezone.localdate()
        self.upload_dir = upload_dir
        self.parts = {"north": Partnership.objects.create(name="Northshire"),
                      "west": Partnership.objects.create(name="Westmoor")}
        self.district = District.objects.create(partnership=self.parts["north"],
                                                name="Northshire City")
        self.orgs = {key: Organisation.objects.create(
            partnership=self.parts[part], name=name, kind=kind, is_statutory=statutory)
            for key, (name, kind, statutory, part) in ORGANISATIONS.items()}
        self.users = {key: self._user(*spec) for key, spec in PERSONAS.items()}
        self.world = CanaryWorld(self.users, self.orgs, {}, {})

    def _user(self, username: str, org: str, role: Role, intelligence: bool) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD,
                                        organisation=self.orgs[org], role=role,
                                        first_name=username.split(".")[1].title(),
                                        last_name="Tester", email=f"{username}@example.org")
        if intelligence:
            user.user_permissions.add(Permission.objects.get(
                codename="view_intelligence", content_type__app_label="accounts"))
        return user

    def plant(self, text: str, nominal: Nominal, kind: str, what: str) -> str:
        self.world.canaries.append(Canary(text, nominal.pk, kind, what))
        return text

    # People ------------------------------------------------------------------------

    def person(self, key: str, part: str, forename: str, serial: int) -> Nominal:
        surname = _name_token()
        org = self.orgs["west_police" if part == "west" else "police"]
        nominal = people.create_nominal(
            acting_user=None, through=THROUGH, organisation=org,
            fields={"forename": forename, "surname": surname, "gender": "M",
                    "date_of_birth": date(1990, 3, 21), "partnership": self.parts[part],
                    "pnc_id": make_pnc_id(2011, serial), "crn": f"X{serial:06d}",
                    # North's people live in its district, for the district filters.
                    "district": self.district if part == "north" else None})
        self.plant(surname, nominal, PERSON, f"{key}'s surname")
        self.plant(str(nominal.pnc_id), nominal, PERSON, f"{key}'s PNC ID")
        self.world.people[key] = nominal
        return nominal

    def add(self, nominal: Nominal, record_kind: str, by: str, **fields: object) -> int:
        record = people.add_record(nominal=nominal, kind=record_kind, acting_user=self.users[by],
                                   through=THROUGH, fields=fields)
        return int(record.pk)

    def restricted_records(self, key: str, nominal: Nominal) -> None:
        """A conviction (so the person is a candidate), intelligence, MAPPA and registration."""
        recent = self.today - timedelta(days=20)
        self.add(nominal, "event", "police_om", kind="conviction", event_date=recent,
                 offence_date=recent - timedelta(days=5), ho_code="28A", disposal="community")
        self.add(nominal, "event", "police_om", kind="arrest", event_date=recent,
                 offence_date=recent, ho_code="30C")
        # A conviction whose code needs its exact OGRS 3 category (the category page), old
        # enough to be outside every score's window but OGRS 3's sanction count.
        self.world.ids[f"{key}_supply"] = self.add(
            nominal, "event", "police_om", kind="conviction",
            event_date=self.today - timedelta(days=6 * 366), ho_code="92A",
            disposal="community")
        summary = self.plant(_token("INTEL"), nominal, INTELLIGENCE, f"{key}'s intelligence")
        self.world.ids[f"{key}_intelligence"] = self.add(
            nominal, "intelligence", "police_om", recorded_date=recent,
            grading_system="5x5x5", source_grade="C", intel_grade="3", handling_code="1",
            crime_type="acquisitive", summary=summary)
        self.add(nominal, "protection", "probation", kind="mappa", mappa_level=2,
                 mappa_category=2, start_date=self.today - timedelta(days=300),
                 notes=self.plant(_token("MAPPA"), nominal, PROTECTION, f"{key}'s MAPPA notes"))
        self.add(nominal, "protection", "police_om", kind="sex_offender_register",
                 start_date=self.today - timedelta(days=300),
                 notes=self.plant(_token("SOR"), nominal, PROTECTION,
                                  f"{key}'s sex-offender registration notes"))

    def consent(self, nominal: Nominal, org: str, *statuses: str) -> None:
        record_involvement(nominal=nominal, organisation=self.orgs[org],
                           start=self.today - timedelta(days=200), acting_user=None,
                           through=THROUGH)
        for days_ago, status in zip((150, 60), statuses, strict=False):
            record_consent(nominal=nominal, organisation=self.orgs[org], status=status,
                           decided_on=self.today - timedelta(days=days_ago), acting_user=None,
                           through=THROUGH)

    # Case work ---------------------------------------------------------------------

    def on_cohort(self, nominal: Nominal) -> CohortMembership:
        police = self.users["police_om"]
        on = self.today - timedelta(days=40)
        case = cohorts.refer(nominal=nominal, policy_name="derbyshire-2021",
                             referring_organisation=self.orgs["police"], referred_on=on,
                             fields={"referrer_name": "A Referrer", "needs": ["drugs"],
                                     "current_offences": "Dwelling burglaries this year"},
                             acting_user=police, through=THROUGH)
        for step in (cohorts.start_research, cohorts.send_to_panel):
            case.refresh_from_db()
            step(membership=case, version=case.version, on=on, reason="Research complete",
                 acting_user=police, through=THROUGH)
        case.refresh_from_db()
        cohorts.record_panel_decision(
            membership=case, version=case.version, outcome=Outcome.ACCEPT,
            meeting=PanelMeeting.PANEL, decided_on=on, rationale="Prolific acquisitive "
            "offending linked to drug use", present=[self.orgs[k] for k in
                                                    ("police", "probation", "council")],
            agreeing=[self.orgs["police"], self.orgs["probation"]], acting_user=police,
            through=THROUGH, exclusion_agreement="Partnership agreement at the panel despite "
            "the public protection arrangements")
        case.refresh_from_db()
        cohorts.place_on_cohort(
            membership=case, version=case.version, cohort_type="fixed",
            lead_agency=self.orgs["police"], lead_professional=police, police_officer=police,
            rag="red", placed_on=on, reason="Panel allocation", acting_user=police,
            through=THROUGH)
        case.refresh_from_db()
        return case

    def casework(self, nominal: Nominal) -> None:
        police = self.users["police_om"]
        plan = casework.start_plan(nominal=nominal, started_on=self.today, summary="First plan",
                                   acting_user=police, through=THROUGH)
        need = casework.add_need(plan=plan, pathway="drugs", level="high",
                                 description="Heroin use", assessed_on=self.today,
                                 acting_user=police, through=THROUGH)
        referral = casework.refer_to_service(need=need, service="Recovery hub",
                                             organisation=None, referred_on=self.today,
                                             acting_user=police, through=THROUGH)
        actions = [casework.create_action(
            nominal=nominal, title=f"Home visit by {who}", owner_user=self.users[who],
            due_on=self.today, priority="high", source_kind="plan",
            source_ref="", acting_user=police, through=THROUGH)
            for who in ("police_om", "council_housing", "mentor_with_consent", "prison")]
        casework.record_contact(nominal=nominal, kind="home_visit", happened_on=self.today,
                                outcome="kept", note="Seen at home", acting_user=police,
                                through=THROUGH)
        threat = EmergingThreat.objects.create(nominal=nominal, raised_on=self.today,
                                               score_before=10, score_now=40)
        self.world.ids.update(plan=plan.pk, need=need.pk, referral=referral.pk,
                              action=actions[0].pk, threat=threat.pk)

    def documents(self, nominal: Nominal) -> None:
        """Every kind of document, produced by the police officer and kept."""
        from iom.casework.models import DocumentKind

        for kind in DocumentKind.values:
            document = casework.generate_document(nominal=nominal, kind=kind,
                                                  acting_user=self.users["police_om"],
                                                  through=THROUGH, reason="")
            self.world.ids[f"document_{kind}"] = document.pk

    def scores(self, nominals: list[Nominal]) -> None:
        """A finished nightly run putting everyone well over every threshold."""
        run = ScoreRun.objects.create(as_at=self.today, kind="nightly", people=len(nominals),
                                      reference_version="test", finished_at=timezone.now())
        values = {"ogrs3": (0.95, "", {"percent_2y": 95}), "iom_matrix": (150, "to_panel", {}),
                  "crime_severity": (900, "", {}), "risk_of_reoffending": (1500, "high", {}),
                  "emerging_threat": (0.0, "emerging", {})}
        StoredScore.objects.bulk_create(
            StoredScore(nominal=n, name=name, as_at=self.today, value=value, band=band,
                        detail=detail, reference_version="test", run=run)
            for n in nominals for name, (value, band, detail) in values.items())

    # Meetings and feeds --------------------------------------------------------------

    def meeting(self, hidden: Nominal) -> Meeting:
        coordinator = self.users["coordinator"]
        meeting = meetings.arrange_meeting(
            kind="tasking", title="Northshire City tasking", held_on=self.today,
            start_time=time(9, 30), location="Central police station",
            acting_user=coordinator, through=THROUGH)
        attendance = {p: meetings.add_attendee(meeting=meeting, user=self.users[p],
                                               acting_user=coordinator, through=THROUGH)
                      for p in ("coordinator", "probation", "council_housing",
                                "mentor_with_consent", "prison", "youth_justice")}
        for persona, found in attendance.items():
            meetings.sign_statement(attendance=found, acting_user=self.users[persona],
                                    through=THROUGH)
        self.world.ids["attendance"] = attendance["mentor_with_consent"].pk
        meetings.generate_agenda(meeting=meeting, acting_user=coordinator, through=THROUGH)
        meeting = meetings.open_meeting(meeting=meeting, acting_user=coordinator,
                                        through=THROUGH)
        closed = meetings.add_item(
            meeting=meeting, title="", nominal=hidden, acting_user=coordinator,
            through=THROUGH, notes=self.plant(_token("CLOSED"), hidden, PERSON,
                                              "a closed-session item's notes"))
        self.world.ids.update(meeting=meeting.pk, closed_item=closed.pk)
        return meeting

    def _feed_run(self, rows: list[dict[str, str]], name: str) -> int:
        frame = pl.DataFrame([{c: r.get(c, "") for c in COLUMNS} for r in rows],
                             schema=dict.fromkeys(COLUMNS, pl.String))
        folder = self.upload_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"pnc-{self.today.isoformat()}.csv"
        frame.write_csv(path)
        run = start_run(file_name=path.name, organisation=self.orgs["police"],
                        acting_user=self.users["coordinator"])
        return import_file(run=run, path=path, acting_user=self.users["coordinator"],
                           through=THROUGH).pk

    def feed(self) -> None:
        """A north coordinator's feeds: an arrest for the managed person (alerts for the
        lead), and a refused file whose problems name a person of another partnership."""
        subject, foreign = self.world.people["subject"], self.world.people["foreign"]
        arrest = {"record_type": "arrest", "source_record_id": "A1", "ho_code": "28A",
                  "record_date": self.today.isoformat()}
        self._feed_run([{**arrest, "pnc_id": str(subject.pnc_id)}], "good")
        self.world.ids["run"] = self._feed_run(
            [{**arrest, "pnc_id": str(foreign.pnc_id)},
             {**arrest, "pnc_id": "not a PNC ID", "source_record_id": "A2"}], "bad")
        alert = Alert.objects.filter(recipient=self.users["police_om"]).first()
        assert alert is not None, "the feed raised no alert for the lead"
        self.world.ids["alert"] = alert.pk


def _tags(b: _Builder, wearer: Nominal) -> None:
    """Units in two districts (one move waiting), the wearer's tag and fixes of today
    from midnight at a canary latitude, a crime batch 33 m away and its matching run."""
    from iom.monitoring import services as tags

    police, sergeant = b.users["police_om"], b.users["police_supervisor"]
    county = District.objects.create(partnership=b.parts["north"], name="Northshire County")
    units = [tags.add_device(district=b.district, serial=f"CANARY-TAG-{n}", supplier="Buddi",
                             added_on=b.today - timedelta(days=60), acting_user=police,
                             through=THROUGH) for n in (1, 2)]
    flex = tags.request_flex(device=units[1], to_district=county, reason="Demand there",
                             acting_user=sergeant, through=THROUGH)
    fitting = tags.record_consent(nominal=wearer, purpose="deter",
                                  consented_on=b.today - timedelta(days=20),
                                  planned_start=b.today - timedelta(days=20),
                                  planned_end=b.today + timedelta(days=60),
                                  acting_user=police, through=THROUGH)
    midnight = timezone.make_aware(datetime.combine(b.today, time(0, 0)))
    tags.fit_tag(fitting=fitting, device=units[0], fitted_at=midnight - timedelta(days=10),
                 guardian_present=False, acting_user=police, through=THROUGH)
    latitude = 53.1 + secrets.randbelow(9000) / 100_000 + 0.01  # 53.11000-53.19999
    b.plant(f"{latitude:.5f}", wearer, LOCATION, "the wearer's trail (a latitude)")
    rows = ["device_id,fix_time,latitude,longitude,accuracy_m", *(
        f"CANARY-TAG-1,{(midnight + timedelta(minutes=m)).isoformat()},{latitude:.5f},"
        f"{-1.5 - m / 100_000:.5f},5" for m in range(60))]
    fixes = tags.import_fixes(data=("\n".join(rows) + "\n").encode(), file_name="fixes.csv",
                              acting_user=police, through=THROUGH)
    crimes = ("crime_ref,crime_type,from_time,to_time,latitude,longitude\n"
              f"CANARY/1,Burglary,{(midnight + timedelta(minutes=10)).isoformat()},"
              f"{(midnight + timedelta(minutes=40)).isoformat()},{latitude + 0.0003:.5f},-1.5\n")
    batch = tags.import_crimes(data=crimes.encode(), file_name="crimes.csv", acting_user=police,
                               through=THROUGH)
    run = tags.run_matching(batch=batch, radius_m=100, pad_minutes=0, max_gap_minutes=10,
                            acting_user=police, through=THROUGH)
    b.world.ids.update(device=units[0].pk, flex=flex.pk, fitting=fitting.pk,
                       fix_import=fixes.pk, batch=batch.pk, match_run=run.pk,
                       match_result=run.results.get().pk)


def _lifecycle(b: _Builder, subject: Nominal) -> None:
    """After placement (docs/lifecycle.md): the case team changes, the person is sentenced
    and handed to the prison hub, and a selection notice names a MAPPA exclusion that only
    readers with sight of public protection records may read (notice_words.py)."""
    from iom.governance.models import Notice, NoticeKind

    case = CohortMembership.objects.get(nominal=subject)
    police = b.users["police_om"]
    cohorts.change_team(membership=case, version=case.version, on=b.today - timedelta(days=20),
                        reason="Probation leads now the licence has started",
                        lead_agency=b.orgs["probation"], lead_professional=b.users["probation"],
                        acting_user=police, through=THROUGH)
    people.add_record(nominal=subject, kind="custody", acting_user=police, through=THROUGH,
                      fields={"custody_type": "sentence", "start_date": b.today,
                              "expected_release_date": b.today + timedelta(days=400),
                              "establishment": "HMP Northshire"})
    case.refresh_from_db()
    cohorts.hand_to_prison_hub(membership=case, version=case.version, on=b.today,
                               prison_offender_manager=b.users["prison"], acting_user=police,
                               reason="Sentenced today; handover agreed with the prison hub",
                               through=THROUGH)
    label = b.plant(_token("EXCLUSION"), subject, PROTECTION, "a selection notice's exclusion")
    for persona in ("mentor_with_consent", "police_om"):
        Notice.objects.create(
            recipient=b.users[persona], nominal=subject, kind=NoticeKind.SELECTED,
            key=f"canary:{persona}", summary="Selected for the IOM cohort.",
            facts={"policy": "Derbyshire 2021", "on": b.today.isoformat(),
                   "cohort_type": "Fixed", "lead_agency": "Northshire Police",
                   "exclusions": [{"label": label, "restricted": PROTECTION}]})


def build_canary_world(upload_dir: Path) -> CanaryWorld:
    b = _Builder(upload_dir)
    subject = b.person("subject", "north", "Jonathan", 700_001)
    candidate = b.person("candidate", "north", "Carl", 700_002)
    hidden = b.person("hidden", "north", "Dean", 700_003)
    foreign = b.person("foreign", "west", "Wes", 700_004)
    for key, nominal in (("subject", subject), ("candidate", candidate), ("foreign", foreign)):
        b.restricted_records(key, nominal)
    people.allocate(nominal=subject, user=b.users["police_om"], acting_user=None,
                    through=THROUGH, start=b.today - timedelta(days=100))
    # The mentor has consent for the managed person; the recovery service refused it and
    # the housing association withdrew it. The hidden person never consented to the mentor.
    b.consent(subject, "voluntary", ConsentStatus.GIVEN)
    b.consent(subject, "drug_alcohol", ConsentStatus.REFUSED)
    b.consent(subject, "housing", ConsentStatus.GIVEN, ConsentStatus.WITHDRAWN)
    b.consent(candidate, "voluntary", ConsentStatus.GIVEN)
    b.consent(hidden, "voluntary")
    b.scores([subject, candidate, foreign])
    # Working with the case, so told of its steps: the mentor (consent given) is, the
    # housing association (consent withdrawn) is not (services/tell.py).
    for persona in ("mentor_with_consent", "homes_withdrawn"):
        people.allocate(nominal=subject, user=b.users[persona], acting_user=None,
                        through=THROUGH, start=b.today - timedelta(days=100))
    b.on_cohort(subject)
    b.casework(subject)
    b.documents(subject)
    b.meeting(hidden)
    b.feed()
    _tags(b, subject)
    # The DPO answers a subject access request from the managed person (open: rule 8 lets
    # them see everything held on that person) and has answered one from the candidate.
    dpo = b.users["dpo"]
    sar_open = subject_access.open_request(nominal=subject, received_on=b.today,
                                           acting_user=dpo, through=THROUGH)
    sar_done = subject_access.open_request(nominal=candidate, received_on=b.today,
                                           acting_user=dpo, through=THROUGH)
    subject_access.mark_answered(sar_done, acting_user=dpo, through=THROUGH)
    _lifecycle(b, subject)
    ids = b.world.ids
    ids.update(sar_open=sar_open.pk, sar_done=sar_done.pk)
    ids.update(subject=subject.pk, candidate=candidate.pk, hidden=hidden.pk,
               foreign=foreign.pk, district=b.district.pk,
               organisation=b.orgs["council"].pk, user=b.users["mentor_with_consent"].pk,
               item=AgendaItem.objects.filter(meeting_id=ids["meeting"], nominal=subject)
               .values_list("pk", flat=True).first() or ids["closed_item"])
    return b.world
