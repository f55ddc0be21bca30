from tests.club.factories import skill_tree  # noqa: F401  (fixture)
