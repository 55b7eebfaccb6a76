from .base import Provenance, SourceSystem
from .history import (
    CaseDate,
    CaseDateKind,
    CategorySource,
    CustodyPeriod,
    CustodyType,
    Disposal,
    EventKind,
    GradingSystem,
    IntelCrimeType,
    Intelligence,
    OffendingEvent,
    OrderKind,
    OrderLicence,
    ProtectionKind,
    PublicProtection,
    WantedKind,
    WantedMissing,
)
from .nominal import (
    Address,
    Alias,
    Allocation,
    Ethnicity,
    Flag,
    FlagKind,
    Gender,
    NameKey,
    Nominal,
    Substance,
)

__all__ = [
    "Address", "Alias", "Allocation", "CaseDate", "CaseDateKind", "CategorySource",
    "CustodyPeriod", "CustodyType", "Disposal", "Ethnicity", "EventKind", "Flag", "FlagKind",
    "Gender", "GradingSystem",
    "IntelCrimeType", "Intelligence", "NameKey", "Nominal", "OffendingEvent", "OrderKind",
    "OrderLicence", "ProtectionKind", "Provenance", "PublicProtection", "SourceSystem",
    "Substance", "WantedKind", "WantedMissing",
]
