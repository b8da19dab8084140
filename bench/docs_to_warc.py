#!/usr/bin/python3
"""Wraps installed HTML documentation into one WARC file, as a crawler would
have captured it: one `response` record per page, with an HTTP header, under
the URL the page has on its project's web site.

Used by the site-boilerplate benchmark (docs/BENCHMARKS.md): Debian's
documentation packages are real sites with real templates (navigation,
headers, footers) and real content. Written for this project; the pages
themselves are read from the machine and never committed.

Usage: bench/docs_to_warc.py OUT.warc.gz [SITE_ROOT URL_PREFIX]...
Default sites: python3.11-doc, postgresql-doc-15 and cmake-doc.
"""
import datetime
import gzip
import os
import sys
import uuid

DEFAULT_SITES = [
    ("/usr/share/doc/python3.11/html", "https://docs.python.org/3.11/"),
    ("/usr/share/doc/postgresql-doc-15/html", "https://www.postgresql.org/docs/15/"),
    ("/usr/share/doc/cmake-data/html", "https://cmake.org/cmake/help/v3.25/"),
]


def record(url, body, date):
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    # A name-based UUID keeps the file the same from run to run.
    rid = uuid.uuid5(uuid.NAMESPACE_URL, url)
    head = ("WARC/1.1\r\n"
            "WARC-Type: response\r\n"
            f"WARC-Target-URI: {url}\r\n"
            f"WARC-Date: {date}\r\n"
            f"WARC-Record-ID: <urn:uuid:{rid}>\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def main(argv):
    if len(argv) < 2 or len(argv) % 2 != 0:
        sys.exit(__doc__)
    out = argv[1]
    sites = DEFAULT_SITES if len(argv) == 2 else list(zip(argv[2::2], argv[3::2]))
    date = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    pages = 0
    with open(out, "wb") as f:
        for root, prefix in sites:
            if not os.path.isdir(root):
                print(f"skipping {root}: not installed", file=sys.stderr)
                continue
            paths = []
            for d, _, files in os.walk(root):
                paths += [os.path.join(d, n) for n in files if n.endswith(".html")]
            for path in sorted(paths):
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                with open(path, "rb") as page:
                    body = page.read()
                # One gzip member per record, as Common Crawl writes them.
                f.write(gzip.compress(record(prefix + rel, body, date), mtime=0))
                pages += 1
    print(f"{out}: {pages} pages", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
