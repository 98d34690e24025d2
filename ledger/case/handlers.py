"""Every case command's handler: an explicit merge of each phase's table."""

from __future__ import annotations

from ledger.case.access_to_procedure import handlers as access_to_procedure
from ledger.case.after_decision import handlers as after_decision
from ledger.case.age_assessment import handlers as age_assessment
from ledger.case.detention import handlers as detention
from ledger.case.erasure import handlers as erasure
from ledger.case.eurodac import handlers as eurodac
from ledger.case.examination import handlers as examination
from ledger.case.monitoring import handlers as monitoring
from ledger.case.reception import handlers as reception
from ledger.case.relocation import handlers as relocation
from ledger.case.remedies import handlers as remedies
from ledger.case.responsibility import handlers as responsibility
from ledger.case.safeguards import handlers as safeguards
from ledger.case.screening import handlers as screening
from ledger.case.withdrawal import handlers as withdrawal
from ledger.handling import Registration

#: Case command class -> its shape check and handler.
CASE_HANDLERS: dict[type, Registration] = {
    **screening.HANDLERS,
    **eurodac.HANDLERS,
    **access_to_procedure.HANDLERS,
    **responsibility.HANDLERS,
    **examination.HANDLERS,
    **remedies.HANDLERS,
    **after_decision.HANDLERS,
    **relocation.HANDLERS,
    **erasure.HANDLERS,
    **detention.HANDLERS, **reception.HANDLERS, **age_assessment.HANDLERS,
    **safeguards.HANDLERS, **monitoring.HANDLERS, **withdrawal.HANDLERS,
}
