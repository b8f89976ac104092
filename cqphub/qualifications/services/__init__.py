"""Write use cases of the qualifications app: one function per use case, keyword arguments,
one transaction each, audited (`cqphub.orgs.audit.record`)."""

from cqphub.qualifications.services.frameworks import (
    add_activity,
    add_assessment_method,
    add_assessment_test,
    add_block,
    add_criterion,
    add_knowledge_item,
    add_skill,
    add_work_situation,
    clone_block,
    editable_block,
    remove_block,
    share_block,
    update_block,
    update_version_details,
)
from cqphub.qualifications.services.habilitations import (
    create_habilitation,
    lift_suspension,
    require_habilitation,
    suspend_habilitation,
)
from cqphub.qualifications.services.lifecycle import record_lifecycle_event
from cqphub.qualifications.services.qualifications import create_qualification, update_qualification
from cqphub.qualifications.services.registry_link import (
    create_from_fiche,
    link_certification,
    propose_from_fiche,
)
from cqphub.qualifications.services.versions import completeness_problems, publish_version, start_new_version

__all__ = [
    "add_activity",
    "add_assessment_method",
    "add_assessment_test",
    "add_block",
    "add_criterion",
    "add_knowledge_item",
    "add_skill",
    "add_work_situation",
    "clone_block",
    "completeness_problems",
    "create_from_fiche",
    "create_habilitation",
    "create_qualification",
    "delete_row",
    "editable_block",
    "lift_suspension",
    "link_certification",
    "propose_from_fiche",
    "publish_version",
    "record_lifecycle_event",
    "remove_block",
    "require_habilitation",
    "share_block",
    "start_new_version",
    "suspend_habilitation",
    "update_block",
    "update_qualification",
    "update_version_details",
]

from cqphub.qualifications.services.editing import delete_row, move_row, undo_change, update_row  # noqa: E402
from cqphub.qualifications.services.exchange import import_frameworks  # noqa: E402

__all__ += ["import_frameworks", "move_row", "undo_change", "update_row"]
