"""A DEMO deprivation table for the demo patients' postcodes (portal/people/demo.py makes them as
LS<1-28> <1-9><letter><letter> from the patient's number, repeating every 504 patients): made-up
deciles, by postcode district, so the dashboard's deprivation grouping has something to show. Not
for reporting: a deploying organisation loads the published table with `qol_load_deprivation`.

`ensure_loaded` is idempotent: migration 0009 calls it, and so can tests whose database was flushed."""

from qol_survey.models.areas import postcode_key

CYCLE = 504  # lcm(28, 9, 8): after this many patients the demo postcodes repeat


def demo_postcodes():
    for i in range(CYCLE):
        district = 1 + i % 28
        yield f"LS{district} {1 + i % 9}{'ABDEFGHJ'[i % 8]}{'LNPQRSTU'[i % 8]}", district


def rows():
    """(postcode key, decile): a district's decile spreads the demo districts over all ten."""
    return {postcode_key(code): 1 + (district * 3) % 10 for code, district in demo_postcodes()}


def ensure_loaded(apps=None):
    if apps is None:
        from qol_survey.models import PostcodeDeprivation
    else:
        PostcodeDeprivation = apps.get_model("qol_survey", "PostcodeDeprivation")
    if PostcodeDeprivation.objects.exists():
        return  # a loaded table (demo or real) is never overwritten here
    PostcodeDeprivation.objects.bulk_create(
        PostcodeDeprivation(postcode=p, decile=d, is_demo=True) for p, d in rows().items()
    )
