"""These notebooks are driven by the browser tests (tests/browser/); nbval must not collect them on its own."""

collect_ignore_glob = ["*.ipynb"]
