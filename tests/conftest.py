import pytest

from cpims.core.bootstrap import bootstrap
from tests.factories import make_user


@pytest.fixture
def places(db):
    """Default roles and the shipped location tree (idempotent, survives flushed databases)."""
    bootstrap()


@pytest.fixture
def user_factory(places):
    return make_user


@pytest.fixture
def admin_user(user_factory):
    return user_factory(role="sysadmin", scope="MN", username="root-admin")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create hundreds of users; production hashing strength is not what they test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
