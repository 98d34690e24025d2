"""Synthetic demo data that follows the Pact's whole lifecycle, recorded through the ledger.

`demo_script` plans made-up cases: screening with its checks (Screening Regulation), Eurodac
capture, transmission and hits, registration and lodging (APR Arts 26-28), the Dublin
procedure with take back, take charge, replies, deemed acceptance, transfers and expired
transfer periods (AMMR), relocation (AMMR Arts 67-68), the border, accelerated, admissibility
and regular procedures with interviews and extensions (APR Arts 35-53), decisions with their
return decisions (Art 37), appeals and requests to remain (Arts 67-68), finality, the return
border procedure and returns, protection with permits and Eurodac marking, subsequent
applications (Art 55), and one crisis period with its derogations (Crisis Regulation).
Deadlines are mostly met, a realistic share is not. Cases begin at different times before
`now`, so some are open at every stage.

Everything is synthetic: family names are placeholder names (Doe, Mustermann, ...). The script
is deterministic for a seed and a day, and command ids are stable, so seeding again records
nothing new.

Modules: `catalogue` and `nationalities` (tables), `people`, `plan` (`CasePlan`), one module
per phase (`screening`, `eurodac`, `access`, `dublin`, `relocation`, `examination`,
`decisions`, `remedies`, `protection`, `returns`), `crisis`, `lifecycle` (one case), `script`
(all cases, interleaved) and `seeding` (recording it).
"""

from pact_ledger.demo.script import demo_script
from pact_ledger.demo.seeding import DemoResult, is_empty, seed_demo

__all__ = ["DemoResult", "demo_script", "is_empty", "seed_demo"]
