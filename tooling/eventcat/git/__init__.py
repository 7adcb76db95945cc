"""The one git reader: every git process eventcat starts (the gate, the site's history, the
notebook preview) starts in :func:`eventcat.git.reader.spawn_git` with a fixed safe
configuration; :mod:`.parse` turns git's NUL-separated output into records field by field;
:mod:`.tree` is the catalog folder at a commit, as a catalog source."""
