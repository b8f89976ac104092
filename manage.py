#!/usr/bin/env python
"""Django's manage.py; the `cqphub` console script does the same."""

from cqphub.cli import main

if __name__ == "__main__":
    main()
