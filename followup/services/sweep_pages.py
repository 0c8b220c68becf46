"""The sweep's pages of work: one query per pass, read through a server-side cursor in pages.

Keyset paging (`pk > last ORDER BY pk LIMIT n`) over a filter on another index (status and due
date) re-reads and re-sorts every remaining due row for each page: at 20,000 due rows that was 21
queries of 20 ms for one pass. One cursor reads the due ids once; memory stays at one page on the
client (outside a transaction Django declares the cursor WITH HOLD, so each page's own transaction
can commit while it stays open). No ORDER BY: a cursor is planned for its first rows, and in id
order that walked the whole primary key (1.1 s at a million tests); locks are taken with SKIP
LOCKED, so two runs at once never wait on each other whatever the order."""


def pages(rows, chunk: int):
    """Lists of up to `chunk` rows of the values queryset `rows`."""
    page = []
    for row in rows.iterator(chunk_size=chunk):
        page.append(row)
        if len(page) == chunk:
            yield page
            page = []
    if page:
        yield page
