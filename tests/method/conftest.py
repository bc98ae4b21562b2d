from .method_fixtures import dual, screened  # noqa: F401 - fixtures
