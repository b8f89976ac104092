from django.apps import AppConfig


class JuriesConfig(AppConfig):
    name = "cqphub.juries"
    label = "juries"

    def ready(self) -> None:
        from cqphub.assessment.services import CORRECTION_GUARDS, SCORE_GUARDS
        from cqphub.journeys.selectors import register_held_blocks_provider
        from cqphub.juries.guards import refuse_correction_after_decision, refuse_scoring_by_excused_member
        from cqphub.juries.panels import jury_panel
        from cqphub.juries.selectors import awarded_blocks
        from cqphub.orgs.dashboard import DASHBOARD_PANELS

        # Blocks validated by a jury count wherever "blocks already held" is asked (DESIGN.md §8).
        register_held_blocks_provider(awarded_blocks)
        if jury_panel not in DASHBOARD_PANELS:
            DASHBOARD_PANELS.append(jury_panel)
        if refuse_correction_after_decision not in CORRECTION_GUARDS:
            CORRECTION_GUARDS.append(refuse_correction_after_decision)
        if refuse_scoring_by_excused_member not in SCORE_GUARDS:
            SCORE_GUARDS.append(refuse_scoring_by_excused_member)
