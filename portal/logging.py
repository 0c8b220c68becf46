"""A logging filter that keeps identifiers and secrets out of log output, whatever logged them:
anything shaped like an NHS number, and values of password/token/passcode/secret fields."""

import logging
import re

NHS_NUMBER = re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")
SECRET_FIELD = re.compile(r"((?:password\d?|passcode|token|secret|code|otp)['\"]?\s*[:=]\s*['\"]?)([^'\"&\s,}]+)", re.I)


def redact(text: str) -> str:
    return SECRET_FIELD.sub(r"\1[redacted]", NHS_NUMBER.sub("[nhs-number]", text))


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
