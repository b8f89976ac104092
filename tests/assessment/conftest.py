"""Fixtures of the assessment tests: the demo world of the journeys tests, tasks run at once."""

from tests.journeys.conftest import _fast_settings, _module_scene, _module_world, scene, world  # noqa: F401
