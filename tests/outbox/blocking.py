"""A mail backend that never returns, so a real worker can be killed in the middle of a send
(tests/outbox/test_real_parts.py). Used only through tests/outbox/blocking_settings.py."""

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class BlockingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        # Tell the test the provider call has begun, then hang as a stalled mail server would.
        recipients = ",".join(address for message in email_messages for address in message.recipients())
        Path(os.environ["BLOCKING_SEND_MARKER"]).write_text(recipients)
        while True:
            time.sleep(60)
