"""The PyInstaller bundle of csdesk: spec, build script, trimming and freshness check (see README.md)."""
