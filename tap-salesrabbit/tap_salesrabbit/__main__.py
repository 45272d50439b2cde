"""Run the tap with ``python -m tap_salesrabbit``."""

from tap_salesrabbit.tap import TapSalesRabbit

TapSalesRabbit.cli()
