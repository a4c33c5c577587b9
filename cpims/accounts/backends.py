from django.contrib.auth.backends import ModelBackend


class LockoutModelBackend(ModelBackend):
    """A locked account cannot sign in, even with the right password, until the lock expires."""

    def user_can_authenticate(self, user) -> bool:
        from cpims.accounts.services import user_is_locked

        return super().user_can_authenticate(user) and not user_is_locked(user)

    def get_user(self, user_id):
        from cpims.accounts.models import User

        try:
            user = User._default_manager.select_related("role", "scope", "agency").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if super().user_can_authenticate(user) else None
