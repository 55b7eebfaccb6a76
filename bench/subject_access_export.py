"""A subject access export for one person with many records.

    .venv/bin/python bench/subject_access_export.py --records 5000

Migrates a fresh SQLite database, gives one person N records (offending events,
addresses and contacts in equal parts) and a read of each in the access log, then
times building the export (every app's holdings, who each record was disclosed
to), its JSON, its ZIP and its PDF: what the DPO's download and ``manage.py
subject_access`` do.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("IOM_ENV", "test")


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=5000)
    args = parser.parse_args(argv)
    workdir = tempfile.mkdtemp(prefix="iom-sar-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from iom.accounts.models import Organisation, OrganisationKind, Partnership, Role, User
    from iom.audit.services import RecordRef, record_access
    from iom.casework.models import Contact
    from iom.governance import subject_access
    from iom.governance.policy import SYSTEM_SIGHT
    from iom.governance.sar_pdf import render
    from iom.people.models import Address, Nominal, OffendingEvent

    north = Partnership.objects.create(name="Bench")
    police = Organisation.objects.create(partnership=north, kind=OrganisationKind.POLICE,
                                         name="Bench Police", is_statutory=True)
    worker = User.objects.create_user(username="bench", password=None, organisation=police,
                                      role=Role.OFFENDER_MANAGER)
    person = Nominal.objects.create(partnership=north, forename="Sam", surname="Subject",
                                    gender="M", date_of_birth=date(1980, 1, 1),
                                    pnc_id="2001/0000001Z", originating_organisation=police)
    third = args.records // 3
    start = date(2000, 1, 1)
    OffendingEvent.objects.bulk_create([OffendingEvent(
        nominal=person, kind="conviction", ho_code="45", event_date=start + timedelta(days=i),
        description=f"Theft {i}", originating_organisation=police) for i in range(third)])
    Address.objects.bulk_create([Address(
        nominal=person, line1=f"{i} High Street", town="Bench", postcode="BE1 1NC",
        from_date=start + timedelta(days=i), originating_organisation=police)
        for i in range(third)])
    Contact.objects.bulk_create([Contact(
        nominal=person, kind="home_visit", happened_on=start + timedelta(days=i),
        outcome="kept", organisation=police, recorded_by=worker, note=f"Visit {i}")
        for i in range(args.records - 2 * third)])
    events = list(OffendingEvent.objects.values_list("pk", flat=True))
    for chunk in range(0, len(events), 500):
        record_access(user=worker, action="view", through="bench", nominal_id=person.pk,
                      records=[RecordRef("event", pk) for pk in events[chunk:chunk + 500]])
    figures: dict[str, float] = {"records": args.records}
    began, began_cpu = time.perf_counter(), time.process_time()
    export = subject_access.build_export(person, sight=SYSTEM_SIGHT)
    figures["build_s"] = time.perf_counter() - began
    mark = time.perf_counter()
    subject_access.export_json(export)
    figures["json_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    subject_access.export_zip(export)
    figures["zip_s"] = time.perf_counter() - mark
    mark, cpu = time.perf_counter(), time.process_time()
    pdf = render(export)
    figures["pdf_s"] = time.perf_counter() - mark
    figures["pdf_cpu_s"] = time.process_time() - cpu
    figures["total_s"] = time.perf_counter() - began
    figures["total_cpu_s"] = time.process_time() - began_cpu
    figures["pdf_pages_bytes"] = len(pdf)
    figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(export.records):,} records exported: " + ", ".join(
        f"{k} {v:.2f}" for k, v in figures.items() if k != "records"))
    return figures


if __name__ == "__main__":
    main()
