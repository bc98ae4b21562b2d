from .method_fixtures import screened  # noqa: F401 - a fixture
