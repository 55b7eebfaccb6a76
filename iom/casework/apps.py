from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "iom.casework"
    label = "casework"
    verbose_name = "Case work: plans, actions, contacts, compliance and documents"

    def ready(self) -> None:
        # The pathway list named in the environment is checked at start-up.
        from .pathways import check_pathway_set

        check_pathway_set()


        # Subject access and corrections (governance): what this app holds about a
        # person, and the documents that could have drawn on a corrected record.
        from iom.governance.corrections import find_citations_with
        from iom.governance.subject_access import hold_for_subject_access

        from . import models as m
        from .governance import documents_citing

        hold_for_subject_access("plan", lambda n: m.InterventionPlan.objects.filter(nominal=n))
        hold_for_subject_access("plan_need", lambda n: m.PlanNeed.objects.filter(plan__nominal=n))
        hold_for_subject_access("plan_progress",
                                lambda n: m.PlanProgress.objects.filter(need__plan__nominal=n))
        hold_for_subject_access("outcome",
                                lambda n: m.IntermediateOutcome.objects.filter(plan__nominal=n))
        hold_for_subject_access("action", lambda n: m.Action.objects.filter(nominal=n))
        hold_for_subject_access("contact", lambda n: m.Contact.objects.filter(nominal=n))
        hold_for_subject_access("document", lambda n: m.GeneratedDocument.objects.filter(nominal=n))
        hold_for_subject_access("deregistration",
                                lambda n: m.Deregistration.objects.filter(membership__nominal=n))
        find_citations_with(documents_citing)

        from iom.governance.retention import handle_partner_records_with

        from .governance import partner_contacts

        handle_partner_records_with(partner_contacts)

        # Handing a case to the prison hub raises the release-planning contact (003).
        from iom.cohorts.lifecycle.services.handover import plan_release_with

        from .custody import raise_release_planning

        plan_release_with(raise_release_planning)
