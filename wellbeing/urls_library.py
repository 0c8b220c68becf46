"""/wellbeing/resources/ and /wellbeing/directory/: the resource library and the services directory
(issue 13 items 1 and 2), included by wellbeing/urls.py."""

urlpatterns = []
