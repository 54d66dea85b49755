"""Extradition: judicial phase, statutory clocks, custody, surrender."""
