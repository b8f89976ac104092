"""Object permissions of the reporting app (django-rules, autodiscovered).

The holder report of a certifier entity, its files and entries are managed by the staff (branch
administrators and certification officers) of the entity's branch; statistics of a qualification
are read by the staff of its owning branches. Everyone else gets 404.
"""

import rules

from cqphub.orgs.rules import is_branch_staff

rules.add_perm("reporting.manage_holder_report", is_branch_staff)  # obj: CertifierEntity
rules.add_perm("reporting.change_holderreportfile", is_branch_staff)
rules.add_perm("reporting.change_holderreportentry", is_branch_staff)
rules.add_perm("reporting.view_statistics", is_branch_staff)  # obj: Qualification
