"""Back-office pages of the qualifications app, one module per tab of `qualifications/_layout.html`:
thin views that translate HTTP into service calls (`common.py` holds the shared helpers)."""

from cqphub.qualifications.views.editing_views import change_undo, row_edit, row_move
from cqphub.qualifications.views.exchange_views import (
    booklet,
    exchange_view,
    export_json,
    export_xlsx,
    template_xlsx,
)
from cqphub.qualifications.views.framework_views import (
    activity_add,
    block_add,
    block_edit,
    block_remove,
    block_share,
    criterion_add,
    knowledge_add,
    method_add,
    row_delete,
    situation_add,
    skill_add,
    test_add,
    version_detail,
    version_edit,
)
from cqphub.qualifications.views.habilitation_views import (
    habilitation_detail,
    habilitation_lift,
    habilitation_suspend,
    habilitations_view,
    my_habilitations,
)
from cqphub.qualifications.views.lifecycle_views import (
    lifecycle_view,
)
from cqphub.qualifications.views.overview_views import (
    qualification_create,
    qualification_detail,
    qualification_list,
)
from cqphub.qualifications.views.registry_views import (
    fiche_start,
    registry_view,
)
from cqphub.qualifications.views.version_views import (
    version_compare,
    version_new,
    version_publish,
)

__all__ = [
    "activity_add",
    "block_add",
    "block_edit",
    "block_remove",
    "block_share",
    "booklet",
    "change_undo",
    "criterion_add",
    "exchange_view",
    "export_json",
    "export_xlsx",
    "fiche_start",
    "habilitation_detail",
    "habilitation_lift",
    "habilitation_suspend",
    "habilitations_view",
    "knowledge_add",
    "lifecycle_view",
    "method_add",
    "my_habilitations",
    "qualification_create",
    "qualification_detail",
    "qualification_list",
    "registry_view",
    "row_delete",
    "row_edit",
    "row_move",
    "situation_add",
    "skill_add",
    "template_xlsx",
    "test_add",
    "version_compare",
    "version_detail",
    "version_edit",
    "version_new",
    "version_publish",
]
