"""Closing the loop (issue 12 item 6): what happens after a response that passes the thresholds kept
as data. Being built; for now a response leads to nothing further."""


def after_response(response) -> None:
    return None
