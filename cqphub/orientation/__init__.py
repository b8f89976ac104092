"""The Django side of the rules engine: facts from the registry, CLI, API, orientation journey."""
