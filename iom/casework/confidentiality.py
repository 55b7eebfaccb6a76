"""The confidentiality statement: one text for the meetings and the paper form.

Attendees sign it before a meeting opens (``iom.meetings``), and the
confidentiality statement document prints it for signing on paper
(``documents.py``). Both read it here, so the two can never differ. The default
is the statement of the 2015 information sharing agreement (000 ISA Appendix A);
the ``IOM_CONFIDENTIALITY_STATEMENT`` setting (from the environment variable of
that name, or the file ``IOM_CONFIDENTIALITY_STATEMENT_FILE`` names) replaces it.
Paragraphs are separated by a blank line; ``# `` starts a heading and ``- `` a
bullet on the paper form.
"""

from __future__ import annotations

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


def confidentiality_statement() -> str:
    text = getattr(settings, "IOM_CONFIDENTIALITY_STATEMENT", "") or STATEMENT
    return str(text).strip()
