"""``python -m salesrabbit_quality_report``: the same as the console script."""

import sys

from salesrabbit_quality_report.cli import main

sys.exit(main())
