"""The "Your sessions" page's words: the device in plain words, this device first."""

import datetime
from types import SimpleNamespace as Thing

import pytest

from portal.access.presenters import describe_device, session_rows
from portal.access.sessions import session_ref


def device(browser, system):
    return Thing(device_info=Thing(user_agent=Thing(family=browser), os=Thing(family=system)))


@pytest.mark.parametrize(
    ("browser", "system", "words"),
    [
        ("Chrome", "Windows", "Chrome on Windows"),
        ("Chrome", "Other", "Chrome"),
        ("Other", "iOS", "iOS"),
        ("Other", "Other", "Unknown device"),
    ],
)
def test_the_device_is_named_from_what_the_browser_said(browser, system, words):
    assert describe_device(device(browser, system)) == words


def test_no_device_information_is_an_unknown_device():
    assert describe_device(Thing(device_info=None)) == "Unknown device"


def test_this_device_comes_first_and_each_row_says_when_and_where():
    at = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)

    def session(key, ip):
        later = at + datetime.timedelta(hours=2)
        return Thing(session_key=key, ip=ip, created_at=at, updated_at=later, **vars(device("Firefox", "Linux")))

    rows = session_rows([session("other", "10.0.0.1"), session("mine", None)], current_key="mine")
    assert [r.is_current for r in rows] == [True, False]
    assert rows[0].ref == session_ref("mine") and rows[0].ip == "Not known" and rows[1].ip == "10.0.0.1"
    assert (rows[0].signed_in, rows[0].last_active) == ("10 March 2026 at 09:30", "10 March 2026 at 11:30")
