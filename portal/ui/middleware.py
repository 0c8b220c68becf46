from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware


class NHSFrontendWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise that also serves NHS.UK frontend icons at /assets/: the compiled CSS
    hard-codes url(/assets/images/...) (STACK-NOTES 4)."""

    def __init__(self, get_response=None, settings_=None):
        super().__init__(get_response)
        assets = settings.NHSUK_FRONTEND_ASSETS
        if assets.is_dir():
            self.add_files(str(assets), prefix="assets/")
