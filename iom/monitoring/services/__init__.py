"""Every write of the monitoring app (STYLE.md rule 1)."""

from .crimes import import_crimes, record_result_action, run_matching
from .fittings import fit_tag, record_consent, remove_tag
from .fixes import import_fixes
from .inventory import (
    add_device,
    change_device_state,
    decide_flex,
    record_inventory_audit,
    request_flex,
)
from .retention import clear_location_fixes

__all__ = [
    "add_device", "change_device_state", "clear_location_fixes", "decide_flex", "fit_tag",
    "import_crimes", "import_fixes", "record_consent", "record_inventory_audit",
    "record_result_action",
    "remove_tag", "request_flex", "run_matching",
]
