"""The access log: every read and change of personal data, hash-chained.

Entries are spread over a few independent chains (see docs/adr/0002) so that
concurrent writers do not all queue on one lock. Within a chain, each entry's
hash covers its own content and the previous entry's hash; the chain head row
remembers the last sequence number and hash, so that deleting the newest
entries is caught too.
"""

from __future__ import annotations

from django.db import models


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported or disclosed"
    DENIED = "denied", "Refused"


# The columns filled from the access context (iom.core.context), in this order.
CONTEXT_FIELDS = ("token_id", "token_name", "token_issued_by_id", "token_issued_by",
                  "request_id")


class AccessLogChain(models.Model):
    """The head of one hash chain."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"chain {self.id} at seq {self.last_seq}"


class AccessLogEntry(models.Model):
    """One access to personal data (Data Protection Act 2018 s.62 fields).

    who: user id, username and organisation (copied, so that the entry still
    reads correctly after the user or organisation changes); when: ``at``;
    what: ``action``, ``nominal_id`` and ``records``; why: ``reason``;
    through what: ``through``. An entry made through an API token names the
    token and who issued it (copied too); ``request_id`` ties together the
    entries of one request or command. These come from the access context
    (``iom.core.context``) and are null on entries made before they were kept.
    Every column but id, chain and seq is covered by the hash.
    """

    chain = models.PositiveSmallIntegerField()
    seq = models.BigIntegerField()
    at = models.DateTimeField(db_index=True)
    user_id = models.BigIntegerField(null=True)
    username = models.CharField(max_length=150)
    organisation = models.CharField(max_length=160, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    through = models.CharField(max_length=200)
    nominal_id = models.BigIntegerField(null=True, db_index=True)
    records = models.JSONField(default=list)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict)
    # Nullable without defaults, so that adding them is a plain ADD COLUMN that
    # leaves the append-only triggers in place on SQLite too.
    token_id = models.BigIntegerField(null=True)
    token_name = models.CharField(max_length=120, null=True)  # noqa: DJ001 - null: none kept
    token_issued_by_id = models.BigIntegerField(null=True)
    token_issued_by = models.CharField(max_length=150, null=True)  # noqa: DJ001
    request_id = models.CharField(max_length=32, null=True)  # noqa: DJ001
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="access_log_chain_seq"),
        ]
        indexes = [models.Index(fields=["user_id", "at"], name="access_log_user_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} via {self.through}"

    @property
    def token_in_words(self) -> str:
        """The API token this access came through, and who issued it, for people."""
        if self.token_id is None:
            return ""
        issuer = (f"issued by {self.token_issued_by}" if self.token_issued_by
                  else "who issued it is not recorded")
        return f"Through the API token {self.token_name}, {issuer}"
