from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Staff accounts are created by service admins. Patient self-sign-up comes with the
        # HNA issue, where a passcode + date of birth check links the account to a record.
        return False
