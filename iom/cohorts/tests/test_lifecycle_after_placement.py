"""The lifecycle steps after placement that partners used to do by e-mail (issue 17):
changing the case team or cohort type, telling the people concerned, handing a
case to the prison hub, and the prompt before a young person's 18th birthday."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from iom.accounts.models import Role, User
from iom.audit.models import AccessLogEntry
from iom.casework.models import Action, SourceKind
from iom.cohorts.lifecycle import services
from iom.cohorts.lifecycle.notice_words import notice_words
from iom.cohorts.models import Transition
from iom.cohorts.policy.rules import add_months
from iom.cohorts.tests.factories import THROUGH, fresh, on_cohort, youth_on_cohort
from iom.core.errors import DomainError, Forbidden
from iom.governance.models import Notice, NoticeKind
from iom.governance.notices import words_for
from iom.people import services as people_services

pytestmark = pytest.mark.django_db

CHANGED_ON = date(2025, 2, 3)


def _prison_worker(world) -> User:
    user = User.objects.create_user(username="prison_pom", password="Not-used-in-tests-4821",
                                    organisation=world.orgs["prison"],
                                    role=Role.OFFENDER_MANAGER, first_name="Pat",
                                    last_name="Prison")
    world.users["pom"] = user
    return user


def _second_officer(world) -> User:
    return User.objects.create_user(username="police_two", password="Not-used-in-tests-4821",
                                    organisation=world.orgs["police"],
                                    role=Role.OFFENDER_MANAGER, first_name="Second",
                                    last_name="Officer")


def _change(world, case, user="police", **changes):
    return services.change_team(membership=case, version=fresh(case).version, on=CHANGED_ON,
                                reason="The probation officer moved to another district",
                                acting_user=world.users[user], through=THROUGH, **changes)


# 1. Changing the case team or the cohort type after placement --------------------------


def test_003_the_cohort_category_changes_with_a_rationale_and_keeps_its_history(world):
    """003 Offender Selection/Deselection: "The choice of category is at the discretion of
    the IOM supervision (supported by partner discussion) who must rationale that decision"."""
    case = on_cohort(world)
    officer = _second_officer(world)
    step = _change(world, case, cohort_type="flex", police_officer=officer)
    case = fresh(case)
    assert (case.cohort_type, case.police_officer) == ("flex", officer)
    assert step.step == "change_team" and step.from_state == step.to_state == "on_cohort"
    assert step.detail["changed_team"]["police_officer"] == {
        "old": world.users["police"].display_name, "new": officer.display_name}
    assert "Cohort type from Fixed to Flex" in step.detail["team_change"]
    # The history keeps the placement and the change; the new officer has the caseload.
    assert list(case.transitions.values_list("step", flat=True))[:2] == ["change_team", "place"]
    assert officer.allocations.filter(nominal=case.nominal, end_date__isnull=True).exists()
    [entry] = [e for e in AccessLogEntry.objects.filter(action="update")
               if {"kind": "cohort_step", "id": step.pk} in e.records]
    assert entry.detail["step"] == "change_team"


def test_the_lead_professional_changes_to_one_of_the_new_lead_agency(world):
    case = on_cohort(world)
    _change(world, case, lead_agency=world.orgs["police"],
            lead_professional=world.users["police"])
    case = fresh(case)
    assert (case.lead_agency, case.lead_professional) == (world.orgs["police"],
                                                          world.users["police"])


def test_a_lead_professional_of_another_agency_is_refused_and_nothing_is_stored(world):
    case = on_cohort(world)
    before = fresh(case)
    with pytest.raises(DomainError) as refused:
        _change(world, case, lead_professional=world.users["police"])  # probation leads
    assert [p.field for p in refused.value.problems] == ["lead_professional"]
    assert fresh(case).lead_professional == before.lead_professional
    assert not Transition.objects.filter(membership=case, step="change_team").exists()


def test_a_change_that_changes_nothing_is_refused(world):
    case = on_cohort(world)
    with pytest.raises(DomainError) as refused:
        _change(world, case, cohort_type=case.cohort_type)
    assert "Change at least one" in refused.value.problems[0].message


def test_a_stale_version_is_refused_as_the_record_changed(world):
    case = on_cohort(world)
    seen = fresh(case).version
    _change(world, case, cohort_type="flex")
    with pytest.raises(DomainError) as refused:
        services.change_team(membership=case, version=seen, on=CHANGED_ON, cohort_type="free",
                             reason="A second change from a stale page", through=THROUGH,
                             acting_user=world.users["police"])
    assert refused.value.code == "conflict"
    assert fresh(case).cohort_type == "flex"


@pytest.mark.parametrize("persona", ["housing", "mentor"])
def test_001_s8_only_the_deciding_agencies_change_the_team(world, persona):
    """001 s8: a decision on the cohort is the panel's, with police and probation agreeing
    (the policy's deciding agencies); a council or voluntary worker cannot change it."""
    case = on_cohort(world)
    with pytest.raises(Forbidden):
        _change(world, case, user=persona, cohort_type="flex")
    assert fresh(case).cohort_type == "fixed"


def test_the_team_page_shows_the_current_team_and_records_the_change(client, world):
    case = on_cohort(world)
    client.force_login(world.users["probation"])
    url = f"/people/{world.person.pk}/case/team/"
    page = client.get(url).content.decode()
    assert "Change the case team or cohort type" in page
    response = client.post(url, {
        "version": fresh(case).version, "cohort_type": "flex",
        "lead_agency": world.orgs["probation"].pk,
        "lead_professional": world.users["probation"].pk,
        "police_officer": world.users["police"].pk, "on": "2025-02-03",
        "reason": "Moved to the flexible cohort after the panel review"})
    assert response.status_code == 302
    assert fresh(case).cohort_type == "flex"
    profile = client.get(f"/people/{world.person.pk}/").content.decode()
    assert "Cohort type from Fixed to Flex" in profile


def test_the_team_api_changes_the_officer(client, world, token_for):
    case = on_cohort(world)
    officer = _second_officer(world)
    response = client.post(
        f"/api/cohorts/people/{world.person.pk}/team", content_type="application/json",
        HTTP_AUTHORIZATION=token_for("probation"), data={
            "version": fresh(case).version, "on": "2025-02-03",
            "reason": "The officer moved to the neighbourhood team",
            "police_officer_id": officer.pk})
    assert response.status_code == 201, response.content
    assert response.json()["case"]["police_officer"] == officer.display_name


def test_the_team_api_refuses_a_council_worker(client, world, token_for):
    case = on_cohort(world)
    response = client.post(
        f"/api/cohorts/people/{world.person.pk}/team", content_type="application/json",
        HTTP_AUTHORIZATION=token_for("housing"), data={
            "version": fresh(case).version, "on": "2025-02-03", "cohort_type": "flex",
            "reason": "A change a council worker may not make"})
    assert response.status_code == 403
    assert fresh(case).cohort_type == "fixed"


# 2. Telling the people concerned -----------------------------------------------------


def _notices(user, kind=None):
    found = Notice.objects.filter(recipient=user)
    return list(found.filter(kind=kind) if kind else found)


def test_001_s8_the_offender_manager_is_told_of_the_selection(world):
    """001 s8: "A decision can be made at Panel/Operational meetings as to whether an
    offender is accepted on to the scheme and this will then be communicated directly to
    the Offender Manager"."""
    case = on_cohort(world)  # recorded by the police officer; probation leads
    [notice] = _notices(world.users["probation"], NoticeKind.SELECTED)
    assert notice.nominal_id == case.nominal_id and notice.facts["cohort_type"] == "Fixed"
    text = words_for(notice, world.users["probation"])
    assert text.startswith("Jonathan Smith: Selected for the IOM cohort under")
    assert "led by Northshire Probation" in text
    # Whoever recorded the step is not told of their own step.
    assert not _notices(world.users["police"], NoticeKind.SELECTED)
    assert any(e.detail.get("notice") == "cohort_selected"
               for e in AccessLogEntry.objects.filter(action="create"))


def test_a_partner_without_sight_of_the_person_gets_no_notice(world):
    """Consent and involvement (000 ISA s4): a partner who may not see the person is told
    nothing about them; one who may, is."""
    for person in (world.unconsented, world.consented):
        people_services.allocate(nominal=person, user=world.users["mentor"], acting_user=None,
                                 through=THROUGH, start=date(2025, 1, 2))
    on_cohort(world, world.unconsented)
    assert not _notices(world.users["mentor"])
    on_cohort(world, world.consented)
    [told] = _notices(world.users["mentor"], NoticeKind.SELECTED)
    assert told.nominal_id == world.consented.pk


def test_restricted_exclusions_are_worded_for_each_reader_never_stored_as_text(world):
    """A notice keeps codes; a MAPPA exclusion the panel overrode is named only to a
    reader who may see public protection records (rule 5)."""
    notice = Notice(recipient=world.users["mentor"], nominal=world.consented,
                    kind=NoticeKind.SELECTED, key="x", summary="Selected for the IOM cohort.",
                    facts={"policy": "Derbyshire 2021", "on": "2025-01-10",
                           "cohort_type": "Fixed", "lead_agency": "Northshire Probation",
                           "exclusions": [{"label": "MAPPA level 2 or 3",
                                           "restricted": "protection"},
                                          {"label": "No recent conviction",
                                           "restricted": ""}]})
    partner = notice_words(notice, world.users["mentor"])
    police = notice_words(notice, world.users["police"])
    assert "MAPPA" not in partner and "No recent conviction" in partner
    assert "MAPPA level 2 or 3" in police
    assert "MAPPA" not in notice.summary


def test_a_change_to_red_tells_the_team_and_copies_no_reason(world):
    case = on_cohort(world)
    services.change_rag(membership=case, version=fresh(case).version, to="red",
                        on=CHANGED_ON, reason="Circulated on PNC for a dwelling burglary",
                        acting_user=world.users["police"], through=THROUGH)
    [notice] = _notices(world.users["probation"], NoticeKind.RAG_RED)
    text = words_for(notice, world.users["probation"])
    assert "from AMBER to RED on 3 February 2025" in text
    assert "PNC" not in text and "PNC" not in str(notice.facts)
    services.change_rag(membership=case, version=fresh(case).version, to="amber",
                        on=CHANGED_ON, reason="Arrested and bailed, engaging again",
                        acting_user=world.users["police"], through=THROUGH)
    assert len(_notices(world.users["probation"], NoticeKind.RAG_RED)) == 1


def test_003_all_partners_are_aware_of_the_deselection_and_the_exit(world):
    """003 Action upon Deselection: "Ensure all partners are aware of the deselection"."""
    case = on_cohort(world)
    police = world.users["police"]
    services.consider_deselection(membership=case, version=fresh(case).version,
                                  on=date(2025, 4, 14), reason="No offending since placement",
                                  acting_user=police, through=THROUGH)
    services.notify_deselection(membership=case, version=fresh(case).version,
                                on=date(2025, 4, 15), reason="Told at the probation meeting",
                                acting_user=police, through=THROUGH)
    [told] = _notices(world.users["probation"], NoticeKind.DESELECTION)
    assert "earliest exit is 15 July 2025" in words_for(told, world.users["probation"])
    services.exit_cohort(membership=case, version=fresh(case).version, on=date(2025, 7, 15),
                         reason="Six months without offending",
                         supporting_intelligence="No current intelligence of offending",
                         acting_user=police, through=THROUGH, monitored=True)
    [left] = _notices(world.users["probation"], NoticeKind.EXIT)
    assert "Left the IOM cohort on 15 July 2025 and is monitored" in words_for(
        left, world.users["probation"])


def test_notices_are_emailed_when_set_and_the_email_names_nobody(
        world, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.IOM_LIFECYCLE_EMAILS = True
    world.users["probation"].email = "probation@example.org"
    world.users["probation"].save()
    with django_capture_on_commit_callbacks(execute=True):
        on_cohort(world)
    [mail] = mailoutbox
    assert mail.to == ["probation@example.org"]
    assert "Smith" not in mail.body and "Jonathan" not in mail.subject + mail.body


def test_no_email_unless_set(world, mailoutbox, django_capture_on_commit_callbacks):
    world.users["probation"].email = "probation@example.org"
    world.users["probation"].save()
    with django_capture_on_commit_callbacks(execute=True):
        on_cohort(world)
    assert not mailoutbox


def test_the_inbox_page_and_api_word_the_notice_for_the_reader(client, world, token_for):
    on_cohort(world)
    client.force_login(world.users["probation"])
    page = client.get("/governance/notices/").content.decode()
    assert "Selected for the IOM cohort under" in page
    assert "Open the case<" in page and "Jonathan Smith" in page
    response = client.get("/api/governance/notices",
                          HTTP_AUTHORIZATION=token_for("probation"))
    assert "Selected for the IOM cohort under" in response.json()[0]["summary"]


# 3. Sentenced to custody: the prison hub -------------------------------------------


def _sentenced(world, release_in_days=300):
    today = timezone.localdate()
    services.record_custody(nominal=world.person, acting_user=world.users["police"],
                            through=THROUGH, fields={
                                "custody_type": "sentence", "start_date": today - timedelta(2),
                                "expected_release_date": today + timedelta(release_in_days),
                                "establishment": "HMP Northshire"})
    return today + timedelta(release_in_days)


def _hand_over(world, case, user="police"):
    return services.hand_to_prison_hub(
        membership=case, version=fresh(case).version, on=timezone.localdate(),
        prison_offender_manager=world.users["pom"], acting_user=world.users[user],
        reason="Sentenced at crown court; handover call with the prison hub", through=THROUGH)


def test_003_a_custodial_sentence_hands_the_case_to_the_prison_hub(world):
    """003 Imprisoned Offenders: "Once a managed individual receives a custodial sentence,
    they become the responsibility of the Prison Hub" and "Three months prior to release
    the Prison Hub must contact the relevant district"."""
    case = on_cohort(world)
    pom = _prison_worker(world)
    release = _sentenced(world)
    step = _hand_over(world, case)
    case = fresh(case)
    assert case.prison_offender_manager == pom and case.handed_to_prison_on
    assert case.rag == "blue"
    assert step.detail["prison_offender_manager"] == pom.display_name
    [action] = Action.objects.filter(nominal=world.person, source_kind=SourceKind.CUSTODY)
    assert action.owner_user == pom
    assert action.due_on == add_months(release, -3)
    assert "about release on" in action.title and "joint prison visit" in action.title
    assert pom.allocations.filter(nominal=world.person, end_date__isnull=True).exists()


def test_a_release_within_three_months_is_planned_from_today(world):
    case = on_cohort(world)
    _prison_worker(world)
    _sentenced(world, release_in_days=40)
    _hand_over(world, case)
    [action] = Action.objects.filter(nominal=world.person, source_kind=SourceKind.CUSTODY)
    assert action.due_on == timezone.localdate()


def test_the_handover_needs_custody_on_record(world):
    case = on_cohort(world)
    _prison_worker(world)
    with pytest.raises(DomainError) as refused:
        _hand_over(world, case)
    assert "No custody is recorded" in refused.value.problems[0].message
    assert not Action.objects.filter(source_kind=SourceKind.CUSTODY).exists()


def test_only_the_deciding_agencies_hand_over(world):
    case = on_cohort(world)
    _prison_worker(world)
    _sentenced(world)
    with pytest.raises(Forbidden):
        _hand_over(world, case, user="housing")


def test_the_prison_hub_page_and_api(client, world, token_for):
    case = on_cohort(world)
    pom = _prison_worker(world)
    _sentenced(world)
    client.force_login(world.users["police"])
    url = f"/people/{world.person.pk}/case/prison-hub/"
    page = client.get(url).content.decode()
    assert "Prison offender manager" in page and "HMP Northshire" in page
    today = timezone.localdate()
    response = client.post(url, {"version": fresh(case).version,
                                 "prison_offender_manager": pom.pk, "on": today.isoformat(),
                                 "reason": "Handover agreed with the prison hub sergeant"})
    assert response.status_code == 302
    assert fresh(case).prison_offender_manager == pom
    again = client.post(
        f"/api/cohorts/people/{world.person.pk}/prison-hub", content_type="application/json",
        HTTP_AUTHORIZATION=token_for("police"), data={
            "version": fresh(case).version, "on": today.isoformat(),
            "reason": "Handover recorded twice by mistake", "prison_offender_manager_id": pom.pk})
    assert again.status_code == 422
    assert "already the prison offender manager" in again.content.decode()


# 4. Youth to adult -------------------------------------------------------------------


def test_000_s4_a_prompt_before_the_18th_birthday_once(world, settings):
    """000 s4 / 001 s5: young people are monitored "with a view to registration on the IOM
    scheme at the age of 18 years and / or on transfer to adult services"; 003: districts
    "must liaise with and support YOS particularly during the transition"."""
    settings.IOM_YOUTH_TRANSITION_DAYS = 90
    case = youth_on_cohort(world)  # born 1 May 2010: 18 on 1 May 2028
    lead = fresh(case).lead_professional
    assert lead is not None
    with time_machine.travel(date(2028, 1, 31)):  # 91 days before: not yet
        assert services.prompt_youth_transitions(through=THROUGH) == []
    with time_machine.travel(date(2028, 2, 1)):  # 90 days before
        [prompt] = services.prompt_youth_transitions(through=THROUGH)
        assert prompt.birthday == date(2028, 5, 1) and prompt.placed == 1
    with time_machine.travel(date(2028, 2, 2)):  # the next night: nothing new
        assert services.prompt_youth_transitions(through=THROUGH)[0].placed == 0
    [notice] = _notices(lead, NoticeKind.YOUTH_TRANSITION)
    assert notice.respond_by == date(2028, 5, 1)
    assert "Turns 18 on 1 May 2028. Plan the move" in words_for(notice, lead)
    with time_machine.travel(date(2028, 5, 2)):  # already 18: no prompt
        assert services.prompt_youth_transitions(through=THROUGH) == []


def test_the_youth_prompt_command(world, capsys):
    youth_on_cohort(world)
    call_command("prompt_youth_transitions", "--on", "2028-03-01")
    assert "1 new notice(s)" in capsys.readouterr().out
    call_command("prompt_youth_transitions", "--on", "2028-03-02")
    assert "0 new notice(s)" in capsys.readouterr().out


def test_an_adult_case_gets_no_youth_prompt(world):
    on_cohort(world)  # born 1990
    assert services.prompt_youth_transitions(on=date(2008, 1, 1), through=THROUGH) == []


def test_a_29_february_birthday_turns_18_on_1_march():
    from iom.cohorts.lifecycle.services.youth import eighteenth_birthday
    assert eighteenth_birthday(date(2012, 2, 29)) == date(2030, 3, 1)


def test_the_prison_hub_page_says_custody_comes_first(client, world):
    on_cohort(world)
    client.force_login(world.users["police"])
    page = client.get(f"/people/{world.person.pk}/case/prison-hub/").content.decode()
    assert "No custody is recorded for this person today" in page


def test_the_council_is_refused_the_team_page(client, world):
    on_cohort(world)
    client.force_login(world.users["housing"])
    response = client.get(f"/people/{world.person.pk}/case/team/")
    assert response.status_code == 403


def test_a_transfer_out_is_an_exit_the_team_is_told_of(world):
    """003 Action upon Deselection: "Ensure all partners are aware of the deselection"; a
    case that closes by a transfer out of the area leaves the cohort too (001 s6)."""
    case = on_cohort(world)
    services.transfer_out(membership=case, version=fresh(case).version, on=CHANGED_ON,
                          to_area="Westmoor", reason="Moved to live with family in Westmoor",
                          acting_user=world.users["police"], through=THROUGH)
    [left] = _notices(world.users["probation"], NoticeKind.EXIT)
    assert "Left the IOM cohort on 3 February 2025, transferred out of the area" in words_for(
        left, world.users["probation"])
