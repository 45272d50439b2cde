"""Singer tap for SalesRabbit."""
